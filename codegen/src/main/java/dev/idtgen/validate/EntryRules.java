package dev.idtgen.validate;

import dev.idtgen.model.Arch;
import dev.idtgen.model.Condition;
import dev.idtgen.model.Entry;
import dev.idtgen.model.ErrorCode;
import dev.idtgen.model.Kind;
import dev.idtgen.model.Rule;
import dev.idtgen.model.Symbol;
import dev.idtgen.model.VectorTable;

import java.util.Set;

import static dev.idtgen.validate.Findings.hex;
import static dev.idtgen.validate.Findings.names;

/** The rules of one entry of the table (one method per rule), and of two entries that collide. */
final class EntryRules extends TableRules {

    /** Architectural exceptions for which the CPU pushes an error code (SDM vol. 3, 6.13). */
    static final Set<Integer> CPU_ERROR_CODE_VECTORS = Set.of(8, 10, 11, 12, 13, 14, 17, 21, 29);

    EntryRules(VectorTable table, Configs configs, Findings found) {
        super(table, configs, found);
    }

    void check(Entry e) {
        String who = "entry " + e.handler();
        kindArch(e, who);
        if (Entry.NO_VECTOR.equals(e.vector())) {
            noVector(e, who);
        } else {
            Symbol s = table.symbols().get(e.vector());
            unknownVector(e, who, s);
            missingNumber(e, who);
            vectorRange(e, who);
            vectorMismatch(e, who, s);
            symbolCondition(e, who, s);
        }
        Integer number = number(e);
        kindErrorCode(e, who);
        errorCode(e, who, number);
        systemVectorRange(e, who, number);
        deviceVectorRange(e, who, number);
        otherwise(e, who);
    }

    /** The entry's number, or null when it has none or a vector's is outside 0..255. */
    private static Integer number(Entry e) {
        Integer n = e.number();
        return n != null && !Entry.NO_VECTOR.equals(e.vector()) && (n < 0 || n > 255) ? null : n;
    }

    private void kindArch(Entry e, String who) {
        for (Arch a : e.arches()) {
            if (!e.kind().arches().contains(a)) {
                found.add(e.at("kind"), Rule.KIND_ARCH, who + ": kind " + e.kind().yamlName() + " does not exist on "
                        + a.yamlName() + " (only on " + names(e.kind().arches()) + ")");
            }
        }
    }

    /** {@link Entry#NO_VECTOR}: no number, and only for irq, xencb and raw entries. */
    private void noVector(Entry e, String who) {
        if (e.number() != null) {
            found.add(e.at("number"), Rule.VECTOR_MISMATCH, who + ": " + Entry.NO_VECTOR
                    + " means no vector of its own, so it takes no number");
        }
        if (e.kind() != Kind.IRQ && e.kind() != Kind.XENCB && e.kind() != Kind.RAW) {
            found.add(e.at("vector"), Rule.VECTOR_MISMATCH, who + ": only irq, xencb and raw entries may use "
                    + Entry.NO_VECTOR);
        }
    }

    private void unknownVector(Entry e, String who, Symbol s) {
        if (s == null) {
            found.add(e.at("vector"), Rule.UNKNOWN_SYMBOL, who + ": vector " + e.vector()
                    + " is not in symbols (trapnr.h / irq_vectors.h)");
        }
    }

    private void missingNumber(Entry e, String who) {
        if (e.number() == null) {
            found.add(e.pos(), Rule.MISSING_KEY, who + " has no 'number' (every vector but " + Entry.NO_VECTOR
                    + " has one)");
        }
    }

    private void vectorRange(Entry e, String who) {
        Integer n = e.number();
        if (n != null && (n < 0 || n > 255)) {
            found.add(e.at("number"), Rule.VECTOR_RANGE, who + ": vector " + n + " is outside 0..255");
        }
    }

    /** The number and the symbol the vector names agree. */
    private void vectorMismatch(Entry e, String who, Symbol s) {
        Integer n = number(e);
        if (n != null && s != null && s.number() != n) {
            found.add(e.at("number"), Rule.VECTOR_MISMATCH, who + ": number " + hex(n) + " but " + e.vector()
                    + " is " + hex(s.number()));
        }
    }

    /** An entry of a vector that exists only under a condition is compiled in only under it. */
    private void symbolCondition(Entry e, String who, Symbol s) {
        if (s == null || s.condition().isAlways()) {
            return;
        }
        for (Arch a : e.arches()) {
            if (!configs.implies(a, e.condition(), s.condition())) {
                found.add(e.at("condition"), Rule.SYMBOL_CONDITION, who + ": " + e.vector() + " exists only when "
                        + s.condition().toC() + ", but the entry is compiled in on "
                        + configs.counterexample(a, e.condition(), s.condition()));
                return;
            }
        }
    }

    private void kindErrorCode(Entry e, String who) {
        if (e.errorCode() != e.kind().errorCode()) {
            found.add(e.at("error_code"), Rule.KIND_ERROR_CODE, who + ": kind " + e.kind().yamlName()
                    + " has error_code " + e.kind().errorCode().yamlName() + ", not " + e.errorCode().yamlName());
        }
    }

    /** What the CPU (or the stub) pushes for the vector is what error_code says. */
    private void errorCode(Entry e, String who, Integer number) {
        if (number != null && number < 32 && e.kind().entryClass() == Kind.EntryClass.EXCEPTION
                && e.kind() != Kind.SW) {
            ErrorCode arch = CPU_ERROR_CODE_VECTORS.contains(number) ? ErrorCode.CPU : ErrorCode.NONE;
            if (e.errorCode() != arch) {
                found.add(e.at("error_code"), Rule.ERROR_CODE, who + ": the CPU " + (arch == ErrorCode.CPU
                        ? "pushes" : "does not push") + " an error code for vector " + number + " (" + e.vector()
                        + "), so error_code must be " + arch.yamlName() + ", not " + e.errorCode().yamlName());
            }
        } else if (number != null && number >= 32 && e.errorCode() == ErrorCode.CPU) {
            found.add(e.at("error_code"), Rule.ERROR_CODE, who + ": vector " + hex(number) + " is no exception:"
                    + " nothing that raises it (int $n, an interrupt) pushes an error code, so error_code cannot be"
                    + " cpu");
        } else if (e.kind() == Kind.IRQ && e.errorCode() != ErrorCode.VECTOR) {
            found.add(e.at("error_code"), Rule.ERROR_CODE, who + ": device-interrupt stubs push the vector, so"
                    + " error_code must be vector");
        }
    }

    private void systemVectorRange(Entry e, String who, Integer number) {
        if (number == null || e.kind().entryClass() != Kind.EntryClass.SYSTEM) {
            return;
        }
        Symbol first = table.symbols().get("FIRST_SYSTEM_VECTOR");
        if (first != null && number < first.number() && !found.waived(e, e.waivers(), Rule.SYSTEM_VECTOR_RANGE)) {
            found.add(e.at("number"), Rule.SYSTEM_VECTOR_RANGE, who + ": system vector " + hex(number)
                    + " is below FIRST_SYSTEM_VECTOR (" + hex(first.number()) + "); waive system-vector-range with"
                    + " a reason if this is on purpose");
        }
    }

    private void deviceVectorRange(Entry e, String who, Integer number) {
        if (number != null && number < 32 && e.kind().entryClass() != Kind.EntryClass.EXCEPTION) {
            found.add(e.at("number"), Rule.DEVICE_VECTOR_RANGE, who + ": vector " + number
                    + " is an exception vector; a " + e.kind().yamlName() + " entry needs one at or above"
                    + " FIRST_EXTERNAL_VECTOR");
        }
    }

    private void otherwise(Entry e, String who) {
        for (String k : e.otherwise().keySet()) {
            if (e.condition().isAlways()) {
                found.add(e.at("otherwise"), Rule.OTHERWISE, who + ": 'otherwise' needs a condition that can be"
                        + " false");
                return;
            }
            if (k.equals(e.handler())) {
                found.add(e.at("otherwise"), Rule.OTHERWISE, who + ": 'otherwise' may not redefine the handler"
                        + " itself");
            }
        }
    }

    /** Two entries of the table ({@code b} before {@code a}) that both take a handler or a vector. */
    void duplicate(Entry a, Entry b) {
        for (Arch arch : a.arches()) {
            if (!b.arches().contains(arch)) {
                continue;
            }
            if (a.handler().equals(b.handler()) && configs.overlap(arch, a.condition(), b.condition())) {
                found.add(a.at("handler"), Rule.DUPLICATE_HANDLER, "entry " + a.handler() + " is already declared at "
                        + b.pos() + " for " + configs.counterexample(arch, Condition.and(a.condition(),
                        b.condition()), new Condition.Not(Condition.ALWAYS)));
                return;
            }
            if (!Entry.NO_VECTOR.equals(a.vector()) && a.number() != null && a.number().equals(b.number())
                    && a.condition().equals(b.condition())) {
                found.add(a.at("vector"), Rule.DUPLICATE_VECTOR, "entry " + a.handler() + ": vector "
                        + hex(a.number()) + " already belongs to " + b.handler() + " (" + b.pos() + ") on "
                        + arch.yamlName() + (a.condition().isAlways() ? "" : " under " + a.condition().toC()));
                return;
            }
        }
    }
}
