package dev.idtgen.model;

import java.util.Map;
import java.util.Set;

/**
 * An array of IDT_ALIGN-sized stubs, one per vector in [first, end), each
 * pushing its vector and jumping to the irq entry of {@code target}.
 */
public record StubArray(String name, String first, String end, String target, Set<Arch> arches,
                        Condition condition, Pos pos, Map<String, Pos> where) {

    public Pos at(String key) {
        return where.getOrDefault(key, pos);
    }
}
