package dev.idtgen.model;

import java.util.Map;
import java.util.Set;

/**
 * One entry point: one DECLARE_IDTENTRY*() line of idtentry.h (or a
 * hand-written entry of kind external).
 *
 * @param number    the vector number, or null for {@value #NO_VECTOR}
 * @param otherwise macros defined when the condition is false (name to value)
 * @param waivers   rule id to the reason why this entry may break that rule
 * @param where     position of each key of the entry in the table
 * @param fred      how FRED delivers it, in a kernel with FRED ({@link VectorTable#fred()}); else null
 */
public record Entry(String handler, String vector, Integer number, Kind kind, ErrorCode errorCode,
                    Set<Arch> arches, Condition condition, Map<String, String> otherwise,
                    Map<String, String> waivers, Pos pos, Map<String, Pos> where, Fred fred) {

    /** An entry without FRED routes. */
    public Entry(String handler, String vector, Integer number, Kind kind, ErrorCode errorCode,
                 Set<Arch> arches, Condition condition, Map<String, String> otherwise,
                 Map<String, String> waivers, Pos pos, Map<String, Pos> where) {
        this(handler, vector, number, kind, errorCode, arches, condition, otherwise, waivers, pos, where, null);
    }

    /** The vector symbol of entry points that have no vector of their own. */
    public static final String NO_VECTOR = "X86_TRAP_OTHER";

    /** The position of a key of this entry, or of the entry itself. */
    public Pos at(String key) {
        return where.getOrDefault(key, pos);
    }

    /** The symbol a gate points to: the asm stub, or the handler itself for external entries. */
    public String gateTarget() {
        return kind == Kind.EXTERNAL ? handler : "asm_" + handler;
    }
}
