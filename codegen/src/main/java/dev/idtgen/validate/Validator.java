package dev.idtgen.validate;

import dev.idtgen.model.Rule;
import dev.idtgen.model.Arch;
import dev.idtgen.model.Condition;
import dev.idtgen.model.Entry;
import dev.idtgen.model.ErrorCode;
import dev.idtgen.model.Gate;
import dev.idtgen.model.GateTable;
import dev.idtgen.model.GateType;
import dev.idtgen.model.Kind;
import dev.idtgen.model.Pos;
import dev.idtgen.model.Problem;
import dev.idtgen.model.StubArray;
import dev.idtgen.model.Symbol;
import dev.idtgen.model.VectorTable;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The semantic rules of a vector table. Every rule has an id that appears
 * in its messages; {@link #WAIVABLE} lists the ones an entry or gate may
 * waive with a reason ({@code waive: {rule: reason}}).
 */
public final class Validator {

    /** Architectural exceptions for which the CPU pushes an error code (SDM vol. 3, 6.13). */
    public static final Set<Integer> CPU_ERROR_CODE_VECTORS = Set.of(8, 10, 11, 12, 13, 14, 17, 21, 29);

    /** Vectors that upstream opens to user space on purpose: int3, into, int $0x80. */
    public static final Set<String> USER_VECTORS = Set.of("X86_TRAP_BP", "X86_TRAP_OF", "IA32_SYSCALL_VECTOR");

    /** Rules that may be waived, with a reason, on the entry or gate that breaks them. */
    public static final Set<String> WAIVABLE = java.util.Arrays.stream(Rule.values()).filter(Rule::waivable)
            .map(Rule::id).collect(java.util.stream.Collectors.toUnmodifiableSet());

    private final VectorTable table;
    private final List<Problem> problems = new ArrayList<>();
    private final Map<Object, Set<String>> usedWaivers = new HashMap<>();
    private final Configs configs;

    private Validator(VectorTable table) {
        this.table = table;
        this.configs = new Configs(table.kconfig());
    }

    /** All problems of the table, sorted by position. */
    public static List<Problem> validate(VectorTable table) {
        Validator v = new Validator(table);
        v.run();
        Collections.sort(v.problems);
        return List.copyOf(v.problems);
    }

    private void run() {
        symbols();
        for (Entry e : table.entries()) {
            decidable(e.at("condition"), "entry " + e.handler(), () -> entry(e));
        }
        duplicates();
        for (StubArray a : table.stubArrays()) {
            decidable(a.at("condition"), "stub array " + a.name(), () -> stubArray(a));
        }
        for (Map.Entry<GateTable, List<Gate>> t : table.gates().entrySet()) {
            for (Gate g : t.getValue()) {
                decidable(g.at("condition"), "gate " + g.table().yamlName() + "/" + g.handler(), () -> gate(g));
            }
            duplicateGates(t.getValue());
        }
        paranoidIst();
        FredRules.check(table, problems, (e, rule) -> waived(e, e.waivers(), rule));
        waivers();
    }

    /** Runs a check whose conditions may read too many symbols to decide; reports that at {@code at}. */
    private void decidable(Pos at, String who, Runnable check) {
        try {
            check.run();
        } catch (Configs.TooManySymbols ex) {
            add(at, Rule.BAD_CONDITION, who + ": " + ex.getMessage());
        }
    }

    private void symbols() {
        for (Symbol s : table.symbols().values()) {
            if (s.number() < 0 || s.number() > 256) {
                add(s.pos(), Rule.VECTOR_RANGE, "symbol " + s.name() + " is " + s.number() + ", outside 0..256");
            }
        }
        // The symbols mapping starts at its first symbol; an empty one has no position of its own.
        Pos symbolsAt = table.symbols().values().stream().map(Symbol::pos).findFirst()
                .orElse(new Pos(table.file(), 1, 1));
        for (String needed : List.of("FIRST_EXTERNAL_VECTOR", "FIRST_SYSTEM_VECTOR", "NR_VECTORS")) {
            if (!table.symbols().containsKey(needed)) {
                add(symbolsAt, Rule.UNKNOWN_SYMBOL, "symbols has no " + needed
                        + ": the vector range rules need it");
            }
        }
    }

    private Integer symbolNumber(String name) {
        Symbol s = table.symbols().get(name);
        return s == null ? null : s.number();
    }

    private void entry(Entry e) {
        String who = "entry " + e.handler();
        // architecture
        for (Arch a : e.arches()) {
            if (!e.kind().arches().contains(a)) {
                add(e.at("kind"), Rule.KIND_ARCH, who + ": kind " + e.kind().yamlName() + " does not exist on "
                        + a.yamlName() + " (only on " + names(e.kind().arches()) + ")");
            }
        }
        // vector and number
        Integer number = e.number();
        if (Entry.NO_VECTOR.equals(e.vector())) {
            if (number != null) {
                add(e.at("number"), Rule.VECTOR_MISMATCH, who + ": " + Entry.NO_VECTOR
                        + " means no vector of its own, so it takes no number");
            }
            if (e.kind() != Kind.IRQ && e.kind() != Kind.XENCB && e.kind() != Kind.RAW) {
                add(e.at("vector"), Rule.VECTOR_MISMATCH, who + ": only irq, xencb and raw entries may use "
                        + Entry.NO_VECTOR);
            }
        } else {
            Symbol s = table.symbols().get(e.vector());
            if (s == null) {
                add(e.at("vector"), Rule.UNKNOWN_SYMBOL, who + ": vector " + e.vector()
                        + " is not in symbols (trapnr.h / irq_vectors.h)");
            }
            if (number == null) {
                add(e.pos(), Rule.MISSING_KEY, who + " has no 'number' (every vector but " + Entry.NO_VECTOR + " has one)");
            } else if (number < 0 || number > 255) {
                add(e.at("number"), Rule.VECTOR_RANGE, who + ": vector " + number + " is outside 0..255");
                number = null;
            } else if (s != null && s.number() != number) {
                add(e.at("number"), Rule.VECTOR_MISMATCH, who + ": number " + hex(number) + " but " + e.vector()
                        + " is " + hex(s.number()));
            }
            if (s != null && !s.condition().isAlways()) {
                for (Arch a : e.arches()) {
                    if (!configs.implies(a, e.condition(), s.condition())) {
                        add(e.at("condition"), Rule.SYMBOL_CONDITION, who + ": " + e.vector() + " exists only when "
                                + s.condition().toC() + ", but the entry is compiled in on "
                                + configs.counterexample(a, e.condition(), s.condition()));
                        break;
                    }
                }
            }
        }
        // error code
        if (e.errorCode() != e.kind().errorCode()) {
            add(e.at("error_code"), Rule.KIND_ERROR_CODE, who + ": kind " + e.kind().yamlName() + " has error_code "
                    + e.kind().errorCode().yamlName() + ", not " + e.errorCode().yamlName());
        }
        if (number != null && number < 32 && e.kind().entryClass() == Kind.EntryClass.EXCEPTION
                && e.kind() != Kind.SW) {
            ErrorCode arch = CPU_ERROR_CODE_VECTORS.contains(number) ? ErrorCode.CPU : ErrorCode.NONE;
            if (e.errorCode() != arch) {
                add(e.at("error_code"), Rule.ERROR_CODE, who + ": the CPU " + (arch == ErrorCode.CPU ? "pushes"
                        : "does not push") + " an error code for vector " + number + " (" + e.vector()
                        + "), so error_code must be " + arch.yamlName() + ", not " + e.errorCode().yamlName());
            }
        } else if (number != null && number >= 32 && e.errorCode() == ErrorCode.CPU) {
            add(e.at("error_code"), Rule.ERROR_CODE, who + ": vector " + hex(number) + " is no exception: nothing"
                    + " that raises it (int $n, an interrupt) pushes an error code, so error_code cannot be cpu");
        } else if (e.kind() == Kind.IRQ && e.errorCode() != ErrorCode.VECTOR) {
            add(e.at("error_code"), Rule.ERROR_CODE, who + ": device-interrupt stubs push the vector, so error_code"
                    + " must be vector");
        }
        // ranges
        if (number != null && e.kind().entryClass() == Kind.EntryClass.SYSTEM) {
            Integer first = symbolNumber("FIRST_SYSTEM_VECTOR");
            if (first != null && number < first && !waived(e, e.waivers(), Rule.SYSTEM_VECTOR_RANGE)) {
                add(e.at("number"), Rule.SYSTEM_VECTOR_RANGE, who + ": system vector " + hex(number)
                        + " is below FIRST_SYSTEM_VECTOR (" + hex(first) + "); waive system-vector-range with a"
                        + " reason if this is on purpose");
            }
        }
        if (number != null && number < 32 && e.kind().entryClass() != Kind.EntryClass.EXCEPTION) {
            add(e.at("number"), Rule.DEVICE_VECTOR_RANGE, who + ": vector " + number
                    + " is an exception vector; a " + e.kind().yamlName() + " entry needs one at or above"
                    + " FIRST_EXTERNAL_VECTOR");
        }
        for (String k : e.otherwise().keySet()) {
            if (e.condition().isAlways()) {
                add(e.at("otherwise"), Rule.OTHERWISE, who + ": 'otherwise' needs a condition that can be false");
                break;
            }
            if (k.equals(e.handler())) {
                add(e.at("otherwise"), Rule.OTHERWISE, who + ": 'otherwise' may not redefine the handler itself");
            }
        }
        checkWaiverIds(e.waivers(), e.at("waive"));
    }

    private void duplicates() {
        List<Entry> es = table.entries();
        for (int i = 0; i < es.size(); i++) {
            for (int j = 0; j < i; j++) {
                Entry a = es.get(i);
                Entry b = es.get(j);
                decidable(a.at("condition"), "entry " + a.handler() + " against " + b.handler(),
                        () -> duplicate(a, b));
            }
        }
    }

    private void duplicate(Entry a, Entry b) {
        for (Arch arch : a.arches()) {
            if (!b.arches().contains(arch)) {
                continue;
            }
            if (a.handler().equals(b.handler()) && configs.overlap(arch, a.condition(), b.condition())) {
                add(a.at("handler"), Rule.DUPLICATE_HANDLER, "entry " + a.handler() + " is already declared at "
                        + b.pos() + " for " + configs.counterexample(arch, Condition.and(a.condition(),
                        b.condition()), new Condition.Not(Condition.ALWAYS)));
                break;
            }
            if (!Entry.NO_VECTOR.equals(a.vector()) && a.number() != null && a.number().equals(b.number())
                    && a.condition().equals(b.condition())) {
                add(a.at("vector"), Rule.DUPLICATE_VECTOR, "entry " + a.handler() + ": vector " + hex(a.number())
                        + " already belongs to " + b.handler() + " (" + b.pos() + ") on " + arch.yamlName()
                        + (a.condition().isAlways() ? "" : " under " + a.condition().toC()));
                break;
            }
        }
    }

    private void stubArray(StubArray s) {
        String who = "stub array " + s.name();
        Integer first = symbolNumber(s.first());
        Integer end = symbolNumber(s.end());
        if (first == null) {
            add(s.at("first"), Rule.UNKNOWN_SYMBOL, who + ": " + s.first() + " is not in symbols");
        }
        if (end == null) {
            add(s.at("end"), Rule.UNKNOWN_SYMBOL, who + ": " + s.end() + " is not in symbols");
        }
        Integer external = symbolNumber("FIRST_EXTERNAL_VECTOR");
        if (first != null && external != null && first < external) {
            add(s.at("first"), Rule.DEVICE_VECTOR_RANGE, who + ": device vectors start at FIRST_EXTERNAL_VECTOR ("
                    + hex(external) + "), not " + hex(first));
        }
        if (first != null && end != null && (end > 256 || first >= end)) {
            add(s.at("end"), Rule.VECTOR_RANGE, who + ": [" + hex(first) + ", " + hex(end) + ") is not a range of vectors");
        }
        List<Entry> targets = table.entries().stream().filter(e -> e.handler().equals(s.target())).toList();
        if (targets.isEmpty()) {
            add(s.at("target"), Rule.STUB_TARGET, who + ": target " + s.target() + " is not an entry");
            return;
        }
        for (Entry t : targets) {
            if (t.kind() != Kind.IRQ) {
                add(s.at("target"), Rule.STUB_TARGET, who + ": target " + s.target() + " is a " + t.kind().yamlName()
                        + " entry; stubs that push their vector need an irq entry");
                return;
            }
        }
        requireEntry(s.arches(), s.condition(), targets, s.at("target"), Rule.STUB_TARGET, who);
    }

    private void gate(Gate g) {
        String who = "gate " + g.table().yamlName() + "/" + g.handler();
        for (Arch a : g.arches()) {
            if (!g.table().arches().contains(a)) {
                add(g.at("arches"), Rule.GATE_TABLE_ARCH, who + ": table " + g.table().cName() + " exists only on "
                        + names(g.table().arches()));
            }
        }
        List<Entry> targets = table.entries().stream().filter(e -> e.handler().equals(g.handler())).toList();
        if (targets.isEmpty()) {
            add(g.at("handler"), Rule.GATE_TARGET, who + ": " + g.handler() + " is not an entry of the table");
            return;
        }
        String vector = targets.get(0).vector();
        // type, dpl, tss
        if ((g.type() == GateType.SYSTEM) != (g.dpl() == 3)) {
            add(g.at(g.type() == GateType.SYSTEM ? "type" : "dpl"), Rule.GATE_TYPE, who + ": a system gate (SYSG) is"
                    + " exactly the DPL 3 interrupt gate; type " + g.type().yamlName() + " with dpl " + g.dpl());
        }
        if (g.type() == GateType.TASK) {
            if (g.tss() == null) {
                add(g.pos(), Rule.GATE_TYPE, who + ": a task gate needs 'tss' (the GDT entry of its TSS)");
            }
            if (g.arches().contains(Arch.X86_64)) {
                add(g.at("type"), Rule.GATE_TYPE, who + ": task gates exist only on i386");
            }
            if (g.ist() != null) {
                add(g.at("ist"), Rule.GATE_TYPE, who + ": a task gate has no IST");
            }
        } else if (g.tss() != null) {
            add(g.at("tss"), Rule.GATE_TYPE, who + ": only task gates take 'tss'");
        }
        if (g.dpl() == 3 && !USER_VECTORS.contains(vector) && !waived(g, g.waivers(), Rule.DPL3)) {
            add(g.at("dpl"), Rule.DPL3, who + ": DPL 3 makes vector " + vector + " callable from user space with"
                    + " int $n; only " + String.join(", ", new java.util.TreeSet<>(USER_VECTORS))
                    + " are, upstream. Waive dpl3 with a reason if this is on purpose");
        }
        // IST
        if (g.ist() != null) {
            if (!g.arches().contains(Arch.X86_64)) {
                add(g.at("ist"), Rule.IST_ARCH, who + ": IST stacks exist only on x86_64");
            }
            for (Entry t : targets) {
                if (t.arches().contains(Arch.X86_64) && configs.overlap(Arch.X86_64, t.condition(), g.condition())
                        && g.arches().contains(Arch.X86_64) && t.kind().paranoidIst() != g.ist()) {
                    add(g.at("ist"), Rule.IST_KIND, who + ": IST " + g.ist() + " needs the paranoid entry of "
                            + (g.ist().name()) + ", but " + t.handler() + " is of kind " + t.kind().yamlName()
                            + " on x86_64" + (t.kind().paranoidIst() == null ? " (no IST)"
                            : " (IST " + t.kind().paranoidIst() + ")"));
                }
            }
        }
        // target exists with a stub wherever the gate is compiled in
        if (g.type() != GateType.TASK) {
            for (Entry t : targets) {
                for (Arch a : t.arches()) {
                    if (g.arches().contains(a) && t.kind().arches().contains(a)
                            && t.kind().stub(a) == dev.idtgen.model.StubStyle.NONE
                            && t.kind() != Kind.NMI && t.kind() != Kind.EXTERNAL
                            && configs.overlap(a, t.condition(), g.condition())) {
                        add(g.at("handler"), Rule.GATE_TARGET, who + ": " + t.handler() + " (kind "
                                + t.kind().yamlName() + ") has no entry stub on " + a.yamlName() + " to point a gate at");
                    }
                }
            }
        }
        Set<Arch> arches = new HashSet<>(g.arches());
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
                    add(at, rule, who + ": " + targets.get(0).handler() + " does not exist on " + a.yamlName());
                }
                continue;
            }
            if (!configs.implies(a, cond, any)) {
                add(at, rule, who + ": compiled in on " + configs.counterexample(a, cond, any)
                        + " where " + targets.get(0).handler() + " is not (its condition: " + any.toC() + ")");
            }
        }
    }

    private void duplicateGates(List<Gate> gates) {
        for (int i = 0; i < gates.size(); i++) {
            for (int j = 0; j < i; j++) {
                Gate a = gates.get(i);
                Gate b = gates.get(j);
                Integer va = gateVector(a);
                if (va == null || !va.equals(gateVector(b))) {
                    continue;
                }
                decidable(a.at("condition"), "gate " + a.table().yamlName() + "/" + a.handler() + " against "
                        + b.handler(), () -> duplicateGate(a, b, va));
            }
        }
    }

    private void duplicateGate(Gate a, Gate b, int va) {
        for (Arch arch : a.arches()) {
            if (b.arches().contains(arch) && configs.overlap(arch, a.condition(), b.condition())) {
                add(a.pos(), Rule.DUPLICATE_GATE, "gate " + a.table().yamlName() + "/" + a.handler() + ": vector "
                        + hex(va) + " already has a gate in " + a.table().cName() + " at " + b.pos()
                        + " on " + arch.yamlName());
                break;
            }
        }
    }

    private Integer gateVector(Gate g) {
        return table.entries().stream().filter(e -> e.handler().equals(g.handler()))
                .map(Entry::number).filter(java.util.Objects::nonNull).findFirst().orElse(null);
    }

    /** Paranoid x86_64 entries must run on their IST: one of their gates in def_idts carries it. */
    private void paranoidIst() {
        for (Entry e : table.entries()) {
            if (!e.arches().contains(Arch.X86_64) || e.kind().paranoidIst() == null
                    || !e.kind().arches().contains(Arch.X86_64)) {
                continue;
            }
            boolean has = table.gates().values().stream().flatMap(List::stream)
                    .anyMatch(g -> g.handler().equals(e.handler()) && g.ist() == e.kind().paranoidIst()
                            && g.arches().contains(Arch.X86_64));
            if (!has) {
                add(e.at("kind"), Rule.IST_MISSING, "entry " + e.handler() + ": kind " + e.kind().yamlName()
                        + " is paranoid on x86_64 and needs a gate with ist: " + e.kind().paranoidIst());
            }
        }
    }

    // ---- waivers --------------------------------------------------------------

    private void checkWaiverIds(Map<String, String> waivers, Pos at) {
        for (String rule : waivers.keySet()) {
            if (!WAIVABLE.contains(rule)) {
                add(at, Rule.WAIVER, "rule '" + rule + "' cannot be waived (waivable: "
                        + String.join(", ", new java.util.TreeSet<>(WAIVABLE)) + ")");
            }
        }
    }

    private boolean waived(Object owner, Map<String, String> waivers, Rule rule) {
        if (waivers.containsKey(rule.id())) {
            usedWaivers.computeIfAbsent(owner, k -> new HashSet<>()).add(rule.id());
            return true;
        }
        return false;
    }

    private void waivers() {
        for (Entry e : table.entries()) {
            unused(e, e.waivers(), e.at("waive"), "entry " + e.handler());
        }
        for (List<Gate> gs : table.gates().values()) {
            for (Gate g : gs) {
                checkWaiverIds(g.waivers(), g.at("waive"));
                unused(g, g.waivers(), g.at("waive"), "gate " + g.table().yamlName() + "/" + g.handler());
            }
        }
    }

    private void unused(Object owner, Map<String, String> waivers, Pos at, String who) {
        Set<String> used = usedWaivers.getOrDefault(owner, Set.of());
        for (String rule : waivers.keySet()) {
            // FRED's rules run only on a kernel with FRED: elsewhere their waivers have nothing to waive
            boolean checked = Rule.of(rule).filter(FredRules.WAIVABLE::contains).isEmpty() || table.fred();
            if (WAIVABLE.contains(rule) && checked && !used.contains(rule)) {
                add(at, Rule.WAIVER, who + " waives " + rule + " but does not break it: remove the waiver");
            }
        }
    }

    // ---- helpers ----------------------------------------------------------------

    private void add(Pos pos, Rule rule, String message) {
        problems.add(new Problem(pos, rule, message));
    }

    private static String hex(int n) {
        return n < 32 ? Integer.toString(n) : String.format("0x%02x", n);
    }

    private static String names(Set<Arch> arches) {
        return String.join(", ", arches.stream().map(Arch::yamlName).toList());
    }
}
