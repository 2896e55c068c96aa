package dev.idtgen.model;

import java.util.Map;
import java.util.Set;

/**
 * One gate line of a gate table in idt.c.
 *
 * @param ist   the IST stack (x86_64; ISTG degrades to INTG on i386), or null
 * @param tss   the GDT entry of a task gate, or null
 */
public record Gate(GateTable table, String handler, GateType type, int dpl, Ist ist, String tss,
                   Set<Arch> arches, Condition condition, Map<String, String> waivers,
                   Pos pos, Map<String, Pos> where) {

    public Pos at(String key) {
        return where.getOrDefault(key, pos);
    }
}
