package dev.idtgen.importer;

import dev.idtgen.model.Arch;
import dev.idtgen.model.Condition;
import dev.idtgen.model.Entry;
import dev.idtgen.model.Fred;
import dev.idtgen.model.Gate;
import dev.idtgen.model.GateTable;
import dev.idtgen.model.StubArray;
import dev.idtgen.model.Symbol;
import dev.idtgen.model.VectorTable;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Writes a {@link VectorTable} as vectors.yaml text, in the layout of the
 * hand-written table: the kconfig facts, the symbols (numbers of
 * {@code X86_TRAP_*} in decimal, vectors in {@code 0x%02x}), one flow
 * mapping per entry, stub array and gate (block form for the ones with
 * waivers), an entry's FRED routes as a flow mapping inside it, and the
 * top-level {@code fred} list for a kernel with FRED.
 * {@link dev.idtgen.load.TableLoader} reads the text back into an equal
 * table, positions aside; notes are not part of the model and are not
 * written.
 */
public final class TableWriter {

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");
    private static final Pattern PLAIN_CONDITION = Pattern.compile("[A-Za-z_(][A-Za-z0-9_()!&| ]*[A-Za-z0-9_)]");
    /** Prose that reads the same as a plain scalar inside a flow mapping (no ": ", ",", " #", brackets). */
    private static final Pattern PLAIN_REASON = Pattern.compile("[A-Za-z0-9_(][A-Za-z0-9_().;'/ -]*[A-Za-z0-9_().']");
    private static final int WIDTH = 78;

    private final StringBuilder out = new StringBuilder();

    private TableWriter() {
    }

    /** The YAML text of {@code table}. */
    public static String write(VectorTable table) {
        TableWriter w = new TableWriter();
        w.table(table);
        return w.out.toString();
    }

    private void table(VectorTable t) {
        line("# SPDX-License-Identifier: GPL-2.0");
        line("#");
        line("# vectors.yaml - the x86 IDT entry points of " + (t.kernel() == null ? "Linux" : "Linux " + t.kernel()));
        line("#");
        line("# The field reference is in codegen/README.md.");
        line("");
        line("format: " + t.format());
        if (!t.kernels().isEmpty()) {
            line("kernels: [" + String.join(", ", t.kernels()) + "]");
        }
        if (t.fred() && t.kernel() != null) {
            line("# The kernels with FRED event delivery: there an entry's `fred` says how");
            line("# FRED delivers it.");
            line("fred: [" + t.kernel() + "]");
        }
        if (!t.kconfig().isEmpty()) {
            section("kconfig", "Kconfig facts the conditions below rely on: each option can only be",
                    "enabled (y or m) when its condition holds.");
            t.kconfig().forEach((k, v) -> line("  " + k + ": " + condition(v)));
        }
        symbols(t);
        entries(t);
        stubArrays(t);
        gates(t);
    }

    /** Opens the top-level section {@code key} after a blank line and its comment lines. */
    private void section(String key, String... comment) {
        section(key, false, null, comment);
    }

    /**
     * Opens the top-level section {@code key} after a blank line and its comment lines; when it is
     * {@code empty}, writes it whole ({@code key: whenEmpty}) instead and returns false.
     */
    private boolean section(String key, boolean empty, String whenEmpty, String... comment) {
        line("");
        for (String c : comment) {
            line("# " + c);
        }
        line(empty ? key + ": " + whenEmpty : key + ":");
        return !empty;
    }

    private void symbols(VectorTable t) {
        if (!section("symbols", t.symbols().isEmpty(), "{}",
                "Vector symbols and their numbers, as arch/x86/include/asm/trapnr.h and",
                "irq_vectors.h define them.")) {
            return;
        }
        List<Symbol> all = new ArrayList<>(t.symbols().values());
        int traps = 0;
        while (traps < all.size() && isTrap(all.get(traps).name())) {
            traps++;
        }
        int trapsTotal = (int) all.stream().filter(s -> isTrap(s.name())).count();
        boolean grouped = traps > 0 && traps < all.size() && traps == trapsTotal;
        for (int i = 0; i < all.size(); i++) {
            Symbol s = all.get(i);
            if (grouped && i == 0) {
                line("  # trapnr.h");
            } else if (grouped && i == traps) {
                line("  # irq_vectors.h");
            }
            String n = number(s.name(), s.number());
            line("  " + scalar(s.name()) + ": " + (s.condition().isAlways() ? n
                    : "{number: " + n + ", condition: " + condition(s.condition()) + "}"));
        }
    }

    private void entries(VectorTable t) {
        if (!section("entries", t.entries().isEmpty(), "[]",
                "The entry points, in the order of idtentry.h. `vector: X86_TRAP_OTHER` marks",
                "an entry point without a vector of its own (no number).")) {
            return;
        }
        for (Entry e : t.entries()) {
            List<String> f = new ArrayList<>();
            f.add("handler: " + scalar(e.handler()));
            f.add("vector: " + scalar(e.vector()));
            if (e.number() != null) {
                f.add("number: " + number(e.vector(), e.number()));
            }
            f.add("kind: " + e.kind().yamlName());
            f.add("error_code: " + e.errorCode().yamlName());
            f.add("arches: " + arches(e.arches()));
            if (!e.condition().isAlways()) {
                f.add("condition: " + condition(e.condition()));
            }
            if (!e.otherwise().isEmpty()) {
                f.add("otherwise: " + flowMap(e.otherwise()));
            }
            if (e.fred() != null) {
                f.add("fred: " + fred(e.fred()));
            }
            item("  ", f, e.waivers());
        }
    }

    private void stubArrays(VectorTable t) {
        if (t.stubArrays().isEmpty()) {
            return;
        }
        section("stub_arrays", "The stub arrays of idtentry.h: one IDT_ALIGN sized stub per vector in",
                "[first, end) that pushes its vector and jumps to the irq entry `target`.");
        for (StubArray a : t.stubArrays()) {
            List<String> f = new ArrayList<>();
            f.add("name: " + scalar(a.name()));
            f.add("first: " + scalar(a.first()));
            f.add("end: " + scalar(a.end()));
            f.add("target: " + scalar(a.target()));
            f.add("arches: " + arches(a.arches()));
            if (!a.condition().isAlways()) {
                f.add("condition: " + condition(a.condition()));
            }
            item("  ", f, Map.of());
        }
    }

    private void gates(VectorTable t) {
        if (!section("gates", t.gates().isEmpty(), "{}",
                "The IDT gate tables of idt.c, each in its order. A gate names the entry",
                "whose stub it points to (`handler`); type interrupt is INTG (or ISTG with",
                "`ist`), system is SYSG (DPL 3), task is TSKG.")) {
            return;
        }
        for (GateTable table : GateTable.values()) {
            List<Gate> gs = t.gates().get(table);
            if (gs == null) {
                continue;
            }
            if (gs.isEmpty()) {
                line("  " + table.yamlName() + ": []");
                continue;
            }
            line("  " + table.yamlName() + ":");
            for (Gate g : gs) {
                List<String> f = new ArrayList<>();
                f.add("handler: " + scalar(g.handler()));
                f.add("type: " + g.type().yamlName());
                if (g.dpl() != 0) {
                    f.add("dpl: " + g.dpl());
                }
                if (g.ist() != null) {
                    f.add("ist: " + g.ist().name());
                }
                if (g.tss() != null) {
                    f.add("tss: " + scalar(g.tss()));
                }
                if (!g.arches().equals(Set.of(Arch.values()))) {
                    f.add("arches: " + arches(g.arches()));
                }
                if (!g.condition().isAlways()) {
                    f.add("condition: " + condition(g.condition()));
                }
                item("    ", f, g.waivers());
            }
        }
    }

    // ---- pieces ------------------------------------------------------------------

    /** One list item: a flow mapping on one line, or a block mapping when it carries waivers. */
    private void item(String indent, List<String> fields, Map<String, String> waivers) {
        if (waivers.isEmpty()) {
            line(indent + "- {" + String.join(", ", fields) + "}");
            return;
        }
        String inner = indent + "  ";
        for (int i = 0; i < fields.size(); i++) {
            line((i == 0 ? indent + "- " : inner) + fields.get(i));
        }
        line(inner + "waive:");
        waivers.forEach((rule, why) -> reason(inner + "  ", scalar(rule), why));
    }

    /** {@code key: reason}, folded over lines ({@code >-}) when the text allows it, else double-quoted. */
    private void reason(String indent, String key, String why) {
        boolean foldable = !why.isEmpty() && why.equals(why.strip()) && !why.contains("  ")
                && why.chars().allMatch(c -> c >= 0x21 && c <= 0x7e || c == ' ');
        if (!foldable || indent.length() + key.length() + 2 + why.length() <= WIDTH) {
            line(indent + key + ": " + (foldable && PLAIN_CONDITION.matcher(why).matches() ? why : quoted(why)));
            return;
        }
        line(indent + key + ": >-");
        String body = indent + "  ";
        StringBuilder cur = new StringBuilder();
        for (String word : why.split(" ")) {
            if (cur.length() > 0 && body.length() + cur.length() + 1 + word.length() > WIDTH) {
                line(body + cur);
                cur.setLength(0);
            }
            cur.append(cur.length() == 0 ? "" : " ").append(word);
        }
        line(body + cur);
    }

    /** {@code {routes: [hwexc], call: fred_exc_debug, stack_level: 1}} or {@code {none: reason}}. */
    private static String fred(Fred f) {
        if (f.exempt() != null) {
            boolean plain = PLAIN_REASON.matcher(f.exempt()).matches() && f.exempt().contains(" ");
            return "{none: " + (plain ? f.exempt() : quoted(f.exempt())) + "}";
        }
        List<String> parts = new ArrayList<>();
        List<String> routes = new ArrayList<>();
        f.routes().forEach(r -> routes.add(r.yamlName()));
        parts.add("routes: [" + String.join(", ", routes) + "]");
        if (f.call() != null) {
            parts.add("call: " + scalar(f.call()));
        }
        if (f.guard() != null) {
            parts.add("guard: " + scalar(f.guard()));
        }
        if (f.fastPath()) {
            parts.add("fast_path: true");
        }
        if (f.stackLevel() != null) {
            parts.add("stack_level: " + f.stackLevel());
        }
        return "{" + String.join(", ", parts) + "}";
    }

    private static String flowMap(Map<String, String> m) {
        List<String> parts = new ArrayList<>();
        m.forEach((k, v) -> parts.add(scalar(k) + ": " + scalar(v)));
        return "{" + String.join(", ", parts) + "}";
    }

    private static String arches(Set<Arch> arches) {
        List<String> names = new ArrayList<>();
        for (Arch a : Arch.values()) {
            if (arches.contains(a)) {
                names.add(a.yamlName());
            }
        }
        return "[" + String.join(", ", names) + "]";
    }

    private static String condition(Condition c) {
        String text = c.toYaml();
        return PLAIN_CONDITION.matcher(text).matches() && !text.startsWith("!") ? text : quoted(text);
    }

    private static boolean isTrap(String symbol) {
        return symbol.startsWith("X86_TRAP_");
    }

    /** Trap numbers in decimal, vectors as two hex digits, anything past the last vector in decimal. */
    private static String number(String symbol, int n) {
        return isTrap(symbol) || n < 0 || n > 0xff ? Integer.toString(n) : String.format("0x%02x", n);
    }

    private static String scalar(String s) {
        return PLAIN.matcher(s).matches() ? s : quoted(s);
    }

    private static String quoted(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        b.append(String.format("\\x%02x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    private void line(String s) {
        out.append(s).append('\n');
    }
}
