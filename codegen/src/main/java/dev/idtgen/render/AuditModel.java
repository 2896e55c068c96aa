package dev.idtgen.render;

import dev.idtgen.model.Entry;
import dev.idtgen.model.Gate;
import dev.idtgen.model.GateTable;
import dev.idtgen.model.GateType;
import dev.idtgen.model.Kind;
import dev.idtgen.model.StubArray;
import dev.idtgen.model.VectorTable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The context of the IDT audit's rows (templates/idt_audit_table.h.j2, read
 * by the KUnit suites the tests series adds): what the table says the live
 * IDT holds, in the order idt.c installs it, each gate under the condition
 * idt_gates.h puts it under, so that the C preprocessor projects it on the
 * kernel's .config exactly as it projects the gate tables. Vectors the
 * platform installs at run time (a system vector whose entry has no gate in
 * any table: hypervisor callbacks) may hold their stub-array slot or one of
 * the table's stubs for that vector. Each row is one X-macro call, without
 * indentation or a terminator: the including C decides what it expands to.
 */
final class AuditModel {

    /** The order idt.c installs the tables in: a later gate for a vector replaces an earlier one. */
    static final List<GateTable> INSTALL_ORDER = List.of(GateTable.EARLY, GateTable.EARLY_PF, GateTable.DEF,
            GateTable.IA32, GateTable.APIC);

    private AuditModel() {
    }

    static Map<String, Object> of(VectorTable t, DeliveryProofs delivery, KernelModeRaises raises)
            throws Renderer.RenderException {
        Map<String, Object> v = new LinkedHashMap<>();
        Map<String, Entry> byHandler = new LinkedHashMap<>();
        for (Entry e : t.entries()) {
            byHandler.putIfAbsent(e.handler(), e);
        }
        Set<String> gated = new java.util.HashSet<>();
        v.put("tables", tables(t, byHandler, gated));

        List<Entry> runtime = t.entries().stream().filter(e -> e.number() != null && e.number() >= 32
                && (e.kind() == Kind.SYSVEC || e.kind() == Kind.SYSVEC_SIMPLE) && !gated.contains(e.handler()))
                .toList();
        v.put("runtime", TemplateModel.groups(runtime, e -> TemplateModel.archAnd(e.arches(), e.condition()),
                e -> line("IDTGEN_RUNTIME(" + e.vector() + ", " + e.gateTarget() + ")")));

        List<Map<String, Object>> arrays = new ArrayList<>();
        for (StubArray a : t.stubArrays()) {
            Map<String, Object> av = new LinkedHashMap<>();
            av.put("cond", TemplateModel.cond(TemplateModel.archAnd(a.arches(), a.condition())));
            av.put("line", "IDTGEN_ARRAY(" + a.first() + ", " + a.end() + ", " + a.name() + ")");
            arrays.add(av);
        }
        v.put("arrays", arrays);
        List<String> vectors = new ArrayList<>();
        for (int n = 0; n < 256; n++) {
            vectors.add(hex(n));
        }
        v.put("vectors", vectors);
        v.put("delivery_vectors", vectors.subList(32, 256));
        delivery(t, delivery, v);
        v.put("entry_vectors", vectors.subList(0, 32));
        kernelMode(t, byHandler, raises, v);

        v.put("fred", t.fred() ? fred(t) : false);
        return v;
    }

    /** The gate tables in install order, each with its rows under their conditions; collects the gated handlers. */
    private static List<Map<String, Object>> tables(VectorTable t, Map<String, Entry> byHandler, Set<String> gated) {
        List<Map<String, Object>> tables = new ArrayList<>();
        for (GateTable table : INSTALL_ORDER) {
            List<Gate> gates = t.gates().get(table);
            if (gates == null || gates.isEmpty()) {
                continue;
            }
            Map<String, Object> tv = new LinkedHashMap<>();
            tv.put("name", table.cName());
            tv.put("cond", TemplateModel.cond(TemplateModel.archCondition(table.arches())));
            gates.forEach(g -> gated.add(g.handler()));
            tv.put("groups", TemplateModel.groups(gates, g -> TemplateModel.gateCondition(table, g),
                    g -> gateLine(table, g, byHandler.get(g.handler()))));
            tables.add(tv);
        }
        return tables;
    }

    /** FRED: MSR_IA32_FRED_STKLVLS as the table's stack levels make it (one 2-bit level per vector). */
    private static Map<String, Object> fred(VectorTable t) {
        Map<Integer, Integer> levels = new TreeMap<>();
        FredModel.ownStacks(t).forEach(e -> levels.put(e.number(), e.fred().stackLevel()));
        List<Map<String, Object>> stklvls = new ArrayList<>();
        for (Map.Entry<Integer, Integer> l : levels.entrySet()) {
            Map<String, Object> lv = new LinkedHashMap<>();
            lv.put("vector", l.getKey());
            lv.put("level", l.getValue());
            stklvls.add(lv);
        }
        Map<String, Object> fred = new LinkedHashMap<>();
        fred.put("stklvls", stklvls);
        return fred;
    }

    /**
     * The delivery test's proofs: for each system vector's stub and each stub array, how a self-IPI's arrival is
     * seen (templates/delivery.yaml), under the entry's or the array's condition.
     */
    private static void delivery(VectorTable t, DeliveryProofs delivery, Map<String, Object> v)
            throws Renderer.RenderException {
        List<Map<String, Object>> proofs = new ArrayList<>();
        for (StubArray a : t.stubArrays()) {
            DeliveryProofs.Proof p = delivery.require(a.target(), "the target of " + a.name());
            String macro = p.retrigger() ? "IDTGEN_ARRAY_RETRIGGER(" : p.stat() != null ? "IDTGEN_ARRAY_STAT(" : null;
            if (macro == null) {
                throw new Renderer.RenderException(DeliveryProofs.FILE + ": " + a.target()
                        + ": a stub array's target needs retrigger or stat");
            }
            Map<String, Object> pv = new LinkedHashMap<>();
            pv.put("cond", TemplateModel.cond(TemplateModel.archAnd(a.arches(), a.condition())));
            // the arguments after the first two go on a line aligned with the parenthesis, as checkpatch wants
            int col = macro.length();
            pv.put("lines", List.of(macro + a.name() + ", " + a.target() + ",",
                    "\t".repeat(col / 8) + " ".repeat(col % 8) + a.first() + ", " + a.end()
                            + (p.stat() != null ? ", " + p.stat() : "") + ")"));
            proofs.add(pv);
        }
        Set<String> seen = new java.util.HashSet<>();
        for (Entry e : t.entries()) {
            if ((e.kind() != Kind.SYSVEC && e.kind() != Kind.SYSVEC_SIMPLE) || !seen.add(e.handler())) {
                continue;
            }
            DeliveryProofs.Proof p = delivery.systemVector(e.handler());
            String f = e.gateTarget();
            String line;
            if (p.none() != null) {
                // the reason on a line of its own, aligned with the parenthesis, and the closing parenthesis on
                // the next: checkpatch lets a line that is only a string pass 100 columns
                int col = "IDTGEN_NONE(".length();
                line = "IDTGEN_NONE(" + f + ",\n" + "\t".repeat(col / 8) + " ".repeat(col % 8)
                        + cString(e.handler() + ": " + p.none()) + "\n)";
            } else if (p.stat() != null) {
                line = "IDTGEN_STAT(" + f + ", " + p.stat() + ")";
            } else if (p.statNoEoi() != null) {
                line = "IDTGEN_STAT_NO_EOI(" + f + ", " + p.statNoEoi() + ")";
            } else if (p.counter() != null) {
                line = "IDTGEN_COUNTER(" + f + ", " + p.counter() + ")";
            } else if (p.eoi()) {
                line = "IDTGEN_EOI(" + f + ")";
            } else {
                throw new Renderer.RenderException(DeliveryProofs.FILE + ": " + e.handler()
                        + ": retrigger is common_interrupt's proof; a system vector needs stat, stat_no_eoi, counter, eoi or none");
            }
            Map<String, Object> pv = new LinkedHashMap<>();
            pv.put("cond", TemplateModel.cond(TemplateModel.archAnd(e.arches(), e.condition())));
            pv.put("lines", List.of(line));
            proofs.add(pv);
        }
        v.put("proofs", proofs);
    }

    /**
     * The entry test's raises: for each gate at an exception vector (0-31), under the gate's arches and
     * condition, how its handler is raised from kernel mode (templates/kernel_mode.yaml), or why it is not; and
     * the vectors raised with int $n, which get a function each (the vector is an immediate).
     */
    private static void kernelMode(VectorTable t, Map<String, Entry> byHandler, KernelModeRaises raises,
                                   Map<String, Object> v) throws Renderer.RenderException {
        List<Map<String, Object>> lines = new ArrayList<>();
        Set<String> seen = new java.util.HashSet<>();
        Set<Integer> intVectors = new java.util.TreeSet<>();
        for (GateTable table : INSTALL_ORDER) {
            for (Gate g : t.gates().getOrDefault(table, List.of())) {
                Entry e = byHandler.get(g.handler());
                if (e.number() == null || e.number() >= 32) {
                    continue;
                }
                KernelModeRaises.Raise r = raises.require(e.handler(), e.vector());
                Set<dev.idtgen.model.Arch> arches = java.util.EnumSet.copyOf(g.arches());
                arches.retainAll(table.arches());
                dev.idtgen.model.Condition c = TemplateModel.archAnd(arches, g.condition());
                String line;
                if (r.none() != null) {
                    int col = "IDTGEN_NO_RAISE(".length();
                    line = "IDTGEN_NO_RAISE(" + e.vector() + ", " + e.handler() + ",\n"
                            + "\t".repeat(col / 8) + " ".repeat(col % 8) + cString(e.handler() + ": " + r.none())
                            + "\n)";
                } else {
                    line = "IDTGEN_RAISE(" + e.vector() + ", " + e.handler() + ", IDTGEN_RAISE_"
                            + r.mode().toUpperCase(java.util.Locale.ROOT) + ")";
                    if (List.of("notify", "fixup", "debug").contains(r.mode())) {
                        intVectors.add(e.number());
                    }
                }
                if (!seen.add(c + "\n" + line)) {
                    continue;
                }
                Map<String, Object> lv = new LinkedHashMap<>();
                lv.put("cond", TemplateModel.cond(c));
                lv.put("lines", List.of(line));
                lines.add(lv);
            }
        }
        v.put("raises", lines);
        v.put("int_vectors", intVectors.stream().map(String::valueOf).toList());
    }

    /** {@code text}, whitespace collapsed, as one C string literal. */
    static String cString(String text) {
        return "\"" + String.join(" ", text.strip().split("\\s+")).replace("\\", "\\\\").replace("\"", "\\\"")
                + "\"";
    }

    /** A gate's row: the macro of its kind (idt.c's INTG, SYSG, ISTG, TSKG), its table first. */
    private static Map<String, Object> gateLine(GateTable table, Gate g, Entry target) {
        String head = table.cName() + ", " + target.vector() + ", ";
        String text;
        if (g.type() == GateType.TASK) {
            text = "IDTGEN_TSKG(" + head + g.tss() + ")";
        } else if (g.ist() != null) {
            text = "IDTGEN_ISTG(" + head + target.gateTarget() + ", " + g.ist().indexMacro() + ")";
        } else {
            text = (g.type() == GateType.SYSTEM ? "IDTGEN_SYSG(" : "IDTGEN_INTG(") + head + target.gateTarget() + ")";
        }
        return line(text);
    }

    private static Map<String, Object> line(String text) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("line", text);
        return v;
    }

    private static String hex(int n) {
        return String.format("0x%02x", n);
    }
}
