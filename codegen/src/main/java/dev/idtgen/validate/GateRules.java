package dev.idtgen.validate;

import dev.idtgen.model.Arch;
import dev.idtgen.model.Condition;
import dev.idtgen.model.Entry;
import dev.idtgen.model.Gate;
import dev.idtgen.model.GateType;
import dev.idtgen.model.Kind;
import dev.idtgen.model.Pos;
import dev.idtgen.model.Rule;
import dev.idtgen.model.StubArray;
import dev.idtgen.model.Symbol;
import dev.idtgen.model.VectorTable;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static dev.idtgen.validate.Findings.hex;
import static dev.idtgen.validate.Findings.names;

/**
 * The rules of what points at an entry: a gate of an IDT, a stub array (one method per rule), and of gates
 * that collide.
 */
final class GateRules extends TableRules {

    /** Vectors that upstream opens to user space on purpose: int3, into, int $0x80. */
    static final Set<String> USER_VECTORS = Set.of("X86_TRAP_BP", "X86_TRAP_OF", "IA32_SYSCALL_VECTOR");

    GateRules(VectorTable table, Configs configs, Findings found) {
        super(table, configs, found);
    }

    private List<Entry> targets(String handler) {
        return table.entries().stream().filter(e -> e.handler().equals(handler)).toList();
    }

    private Integer symbolNumber(String name) {
        Symbol s = table.symbols().get(name);
        return s == null ? null : s.number();
    }

    // ---- stub arrays ------------------------------------------------------------

    void stubArray(StubArray s) {
        String who = "stub array " + s.name();
        Integer first = symbolNumber(s.first());
        Integer end = symbolNumber(s.end());
        stubSymbols(s, who, first, end);
        Integer external = symbolNumber("FIRST_EXTERNAL_VECTOR");
        if (first != null && external != null && first < external) {
            found.add(s.at("first"), Rule.DEVICE_VECTOR_RANGE, who + ": device vectors start at"
                    + " FIRST_EXTERNAL_VECTOR (" + hex(external) + "), not " + hex(first));
        }
        if (first != null && end != null && (end > 256 || first >= end)) {
            found.add(s.at("end"), Rule.VECTOR_RANGE, who + ": [" + hex(first) + ", " + hex(end)
                    + ") is not a range of vectors");
        }
        stubTarget(s, who);
    }

    private void stubSymbols(StubArray s, String who, Integer first, Integer end) {
        if (first == null) {
            found.add(s.at("first"), Rule.UNKNOWN_SYMBOL, who + ": " + s.first() + " is not in symbols");
        }
        if (end == null) {
            found.add(s.at("end"), Rule.UNKNOWN_SYMBOL, who + ": " + s.end() + " is not in symbols");
        }
    }

    /** The target is an irq entry, compiled in wherever the array is. */
    private void stubTarget(StubArray s, String who) {
        List<Entry> targets = targets(s.target());
        if (targets.isEmpty()) {
            found.add(s.at("target"), Rule.STUB_TARGET, who + ": target " + s.target() + " is not an entry");
            return;
        }
        for (Entry t : targets) {
            if (t.kind() != Kind.IRQ) {
                found.add(s.at("target"), Rule.STUB_TARGET, who + ": target " + s.target() + " is a "
                        + t.kind().yamlName() + " entry; stubs that push their vector need an irq entry");
                return;
            }
        }
        requireEntry(s.arches(), s.condition(), targets, s.at("target"), Rule.STUB_TARGET, who);
    }

    // ---- gates ------------------------------------------------------------------

    void gate(Gate g) {
        String who = "gate " + g.table().yamlName() + "/" + g.handler();
        gateTableArch(g, who);
        List<Entry> targets = targets(g.handler());
        if (targets.isEmpty()) {
            found.add(g.at("handler"), Rule.GATE_TARGET, who + ": " + g.handler() + " is not an entry of the table");
            return;
        }
        gateType(g, who);
        dpl3(g, who, targets.get(0).vector());
        istArch(g, who);
        istKind(g, who, targets);
        gateTarget(g, who, targets);
    }

    private void gateTableArch(Gate g, String who) {
        for (Arch a : g.arches()) {
            if (!g.table().arches().contains(a)) {
                found.add(g.at("arches"), Rule.GATE_TABLE_ARCH, who + ": table " + g.table().cName()
                        + " exists only on " + names(g.table().arches()));
            }
        }
    }

    /** Type, DPL and TSS agree: SYSG is the DPL 3 interrupt gate, a task gate (i386) has a TSS and no IST. */
    private void gateType(Gate g, String who) {
        if ((g.type() == GateType.SYSTEM) != (g.dpl() == 3)) {
            found.add(g.at(g.type() == GateType.SYSTEM ? "type" : "dpl"), Rule.GATE_TYPE, who + ": a system gate"
                    + " (SYSG) is exactly the DPL 3 interrupt gate; type " + g.type().yamlName() + " with dpl "
                    + g.dpl());
        }
        if (g.type() == GateType.TASK) {
            if (g.tss() == null) {
                found.add(g.pos(), Rule.GATE_TYPE, who + ": a task gate needs 'tss' (the GDT entry of its TSS)");
            }
            if (g.arches().contains(Arch.X86_64)) {
                found.add(g.at("type"), Rule.GATE_TYPE, who + ": task gates exist only on i386");
            }
            if (g.ist() != null) {
                found.add(g.at("ist"), Rule.GATE_TYPE, who + ": a task gate has no IST");
            }
        } else if (g.tss() != null) {
            found.add(g.at("tss"), Rule.GATE_TYPE, who + ": only task gates take 'tss'");
        }
    }

    private void dpl3(Gate g, String who, String vector) {
        if (g.dpl() == 3 && !USER_VECTORS.contains(vector) && !found.waived(g, g.waivers(), Rule.DPL3)) {
            found.add(g.at("dpl"), Rule.DPL3, who + ": DPL 3 makes vector " + vector + " callable from user space"
                    + " with int $n; only " + String.join(", ", new java.util.TreeSet<>(USER_VECTORS))
                    + " are, upstream. Waive dpl3 with a reason if this is on purpose");
        }
    }

    private void istArch(Gate g, String who) {
        if (g.ist() != null && !g.arches().contains(Arch.X86_64)) {
            found.add(g.at("ist"), Rule.IST_ARCH, who + ": IST stacks exist only on x86_64");
        }
    }

    /** A gate's IST is the one its target's kind runs its paranoid entry on. */
    private void istKind(Gate g, String who, List<Entry> targets) {
        if (g.ist() == null) {
            return;
        }
        for (Entry t : targets) {
            if (t.arches().contains(Arch.X86_64) && configs.overlap(Arch.X86_64, t.condition(), g.condition())
                    && g.arches().contains(Arch.X86_64) && t.kind().paranoidIst() != g.ist()) {
                found.add(g.at("ist"), Rule.IST_KIND, who + ": IST " + g.ist() + " needs the paranoid entry of "
                        + (g.ist().name()) + ", but " + t.handler() + " is of kind " + t.kind().yamlName()
                        + " on x86_64" + (t.kind().paranoidIst() == null ? " (no IST)"
                        : " (IST " + t.kind().paranoidIst() + ")"));
            }
        }
    }

    /** The target has an entry stub, compiled in, wherever the gate is. */
    private void gateTarget(Gate g, String who, List<Entry> targets) {
        if (g.type() != GateType.TASK) {
            for (Entry t : targets) {
                for (Arch a : t.arches()) {
                    if (g.arches().contains(a) && t.kind().arches().contains(a)
                            && t.kind().stub(a) == dev.idtgen.model.StubStyle.NONE
                            && t.kind() != Kind.NMI && t.kind() != Kind.EXTERNAL
                            && configs.overlap(a, t.condition(), g.condition())) {
                        found.add(g.at("handler"), Rule.GATE_TARGET, who + ": " + t.handler() + " (kind "
                                + t.kind().yamlName() + ") has no entry stub on " + a.yamlName()
                                + " to point a gate at");
                    }
                }
            }
        }
        Set<Arch> arches = EnumSet.noneOf(Arch.class); // in Arch's order, so the problems are too
        arches.addAll(g.arches());
        arches.retainAll(g.table().arches());
        requireEntry(arches, g.condition(), targets, g.at("handler"), Rule.GATE_TARGET, who);
    }

    /** Whatever is compiled in under (arches, cond) needs one of {@code targets} compiled in too. */
    private void requireEntry(Set<Arch> arches, Condition cond, List<Entry> targets, Pos at, Rule rule, String who) {
        for (Arch a : arches) {
            Condition any = null;
            for (Entry t : targets) {
                if (t.arches().contains(a)) {
                    any = any == null ? t.condition() : new Condition.Or(any, t.condition());
                }
            }
            if (any == null) {
                if (configs.satisfiable(a, cond)) {
                    found.add(at, rule, who + ": " + targets.get(0).handler() + " does not exist on "
                            + a.yamlName());
                }
                continue;
            }
            if (!configs.implies(a, cond, any)) {
                found.add(at, rule, who + ": compiled in on " + configs.counterexample(a, cond, any)
                        + " where " + targets.get(0).handler() + " is not (its condition: " + any.toC() + ")");
            }
        }
    }

    // ---- several gates ----------------------------------------------------------

    /** Gates of one IDT ({@code b} before {@code a}) for the same vector, both compiled in somewhere. */
    void duplicateGate(Gate a, Gate b, int va) {
        for (Arch arch : a.arches()) {
            if (b.arches().contains(arch) && configs.overlap(arch, a.condition(), b.condition())) {
                found.add(a.pos(), Rule.DUPLICATE_GATE, "gate " + a.table().yamlName() + "/" + a.handler()
                        + ": vector " + hex(va) + " already has a gate in " + a.table().cName() + " at " + b.pos()
                        + " on " + arch.yamlName());
                return;
            }
        }
    }

    /** The vector number of a gate's target, or null. */
    Integer gateVector(Gate g) {
        return table.entries().stream().filter(e -> e.handler().equals(g.handler()))
                .map(Entry::number).filter(java.util.Objects::nonNull).findFirst().orElse(null);
    }

    /** Paranoid x86_64 entries must run on their IST: one of their gates in def_idts carries it. */
    void paranoidIst() {
        for (Entry e : table.entries()) {
            if (!e.arches().contains(Arch.X86_64) || e.kind().paranoidIst() == null
                    || !e.kind().arches().contains(Arch.X86_64)) {
                continue;
            }
            boolean has = table.gates().values().stream().flatMap(List::stream)
                    .anyMatch(g -> g.handler().equals(e.handler()) && g.ist() == e.kind().paranoidIst()
                            && g.arches().contains(Arch.X86_64));
            if (!has) {
                found.add(e.at("kind"), Rule.IST_MISSING, "entry " + e.handler() + ": kind " + e.kind().yamlName()
                        + " is paranoid on x86_64 and needs a gate with ist: " + e.kind().paranoidIst());
            }
        }
    }
}
