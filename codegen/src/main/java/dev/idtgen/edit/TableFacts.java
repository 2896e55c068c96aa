package dev.idtgen.edit;

import dev.idtgen.model.Arch;
import dev.idtgen.model.Condition;
import dev.idtgen.model.Entry;
import dev.idtgen.model.Fred;
import dev.idtgen.model.Gate;
import dev.idtgen.model.StubArray;
import dev.idtgen.model.Symbol;
import dev.idtgen.model.VectorTable;
import dev.idtgen.model.YamlNamed;

import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * One side of a {@link TableDiff}: the structural facts of a table, printed, per subject and architecture, in
 * groups: the subject's own facts ({@link #OWN}) and one group per gate ("def_idts gate"). A fact without a
 * value (no condition, no IST, no waiver) is left out, so a diff prints it as "none". Printed values compare
 * as the facts do: enum names, hex numbers, sorted sets and maps, conditions as an {@code #if} line gets them.
 */
final class TableFacts {

    /** The name of a subject's own group of facts. */
    static final String OWN = "";

    private TableFacts() {
    }

    /** A subject by kind and name: an entry handler, a stub array, a symbol. */
    record Key(TableDiff.Subject subject, String name) {
    }

    /**
     * One subject on one side: its number (an entry's first, a stub array's first vector, a symbol's), the
     * vectors it covers, per architecture its groups of printed facts (field to value).
     */
    record Item(Integer number, Set<Integer> vectors, Map<Arch, Map<String, Map<String, String>>> facts) {
        Item(Integer number) {
            this(number, new TreeSet<>(), new EnumMap<>(Arch.class));
        }

        /** Adds a group on {@code a}; a second row of the same group on one arch (a table error) is ignored. */
        void put(Arch a, String group, Map<String, String> f) {
            facts.computeIfAbsent(a, x -> new LinkedHashMap<>()).putIfAbsent(group, f);
        }
    }

    /**
     * The facts of every subject of {@code t}: each entry handler with its gates, each stub array, each symbol
     * not in {@code named} (the vectors entries name, on either side of a diff).
     */
    static Map<Key, Item> of(VectorTable t, Set<String> named) {
        Map<Key, Item> out = new HashMap<>();
        for (Entry e : t.entries()) {
            Key k = new Key(TableDiff.Subject.VECTOR, e.handler());
            Item it = out.computeIfAbsent(k, x -> new Item(t.entries().stream().filter(o -> o.handler()
                    .equals(e.handler())).map(Entry::number).filter(Objects::nonNull).findFirst().orElse(null)));
            if (e.number() != null) {
                it.vectors().add(e.number());
            }
            e.arches().forEach(a -> it.put(a, OWN, entry(e, a, t)));
        }
        gates(t, out);
        arrays(t, out);
        symbols(t, named, out);
        return out;
    }

    /** Each gate in the group "TABLE gate" of its handler, on the arches where both it and its table are. */
    private static void gates(VectorTable t, Map<Key, Item> out) {
        t.gates().values().stream().flatMap(List::stream).forEach(g -> {
            Item it = out.computeIfAbsent(new Key(TableDiff.Subject.VECTOR, g.handler()), x -> new Item(null));
            g.arches().stream().filter(g.table().arches()::contains)
                    .forEach(a -> it.put(a, g.table().cName() + " gate", gate(g, a)));
        });
    }

    /** A stub array's facts: its bounds by name and number (a symbol's move shows here), target, condition. */
    private static void arrays(VectorTable t, Map<Key, Item> out) {
        for (StubArray s : t.stubArrays()) {
            Integer first = number(t, s.first());
            Integer end = number(t, s.end());
            Item it = out.computeIfAbsent(new Key(TableDiff.Subject.STUB_ARRAY, s.name()), x -> new Item(first));
            for (int v = first == null ? 0 : first; end != null && v < end; v++) {
                it.vectors().add(v);
            }
            Map<String, String> f = new LinkedHashMap<>();
            f.put("first", s.first() + (first == null ? "" : " " + hex(first)));
            f.put("end", s.end() + (end == null ? "" : " " + hex(end)));
            f.put("target", s.target());
            put(f, "condition", cond(s.condition()));
            s.arches().forEach(a -> it.put(a, OWN, f));
        }
    }

    /** The symbols no entry names: the static_assert()s of idt_gates.h and the stub arrays' bounds read them. */
    private static void symbols(VectorTable t, Set<String> named, Map<Key, Item> out) {
        t.symbols().values().stream().filter(s -> !named.contains(s.name())).forEach(s -> {
            Item it = new Item(s.number());
            Map<String, String> f = new LinkedHashMap<>();
            f.put("number", hex(s.number()));
            put(f, "condition", cond(s.condition()));
            List.of(Arch.values()).forEach(a -> it.put(a, OWN, f));
            out.put(new Key(TableDiff.Subject.SYMBOL, s.name()), it);
        });
    }

    /** An entry row's facts on {@code a}: FRED reaches only x86_64 builds. */
    private static Map<String, String> entry(Entry e, Arch a, VectorTable t) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("vector", e.vector());
        put(f, "number", e.number() == null ? null : hex(e.number()));
        Symbol s = t.symbols().get(e.vector());
        put(f, "vector condition", s == null ? null : cond(s.condition()));
        f.put("kind", e.kind().yamlName());
        f.put("error_code", e.errorCode().yamlName());
        put(f, "condition", cond(e.condition()));
        put(f, "otherwise", e.otherwise().isEmpty() ? null : new TreeMap<>(e.otherwise()).entrySet().stream()
                .map(o -> o.getKey() + ": " + o.getValue()).collect(Collectors.joining(", ", "{", "}")));
        put(f, "waive", e.waivers().isEmpty() ? null : new TreeSet<>(e.waivers().keySet()).toString());
        Fred r = e.fred();
        if (a == Arch.X86_64 && r != null) {
            put(f, "FRED routes", r.routes().isEmpty() ? null : "[" + names(new TreeSet<>(r.routes())) + "]");
            put(f, "FRED call", r.call());
            put(f, "FRED guard", r.guard());
            put(f, "FRED fast_path", r.fastPath() ? "yes" : null);
            put(f, "FRED stack_level", r.stackLevel() == null ? null : r.stackLevel().toString());
            put(f, "FRED exempt", r.exempt() != null ? "yes" : null);
        }
        return f;
    }

    /** A gate's facts on {@code a}: i386 builds an ISTG as INTG, so IST is x86_64's. */
    private static Map<String, String> gate(Gate g, Arch a) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("type", g.type().yamlName());
        f.put("DPL", Integer.toString(g.dpl()));
        put(f, "IST", a == Arch.X86_64 && g.ist() != null ? g.ist().name() : null);
        put(f, "TSS", g.tss());
        put(f, "condition", cond(g.condition()));
        put(f, "waive", g.waivers().isEmpty() ? null : new TreeSet<>(g.waivers().keySet()).toString());
        return f;
    }

    private static void put(Map<String, String> f, String field, String value) {
        if (value != null) {
            f.put(field, value);
        }
    }

    /** The printed condition (the form an {@code #if} line gets), null for none. */
    private static String cond(Condition c) {
        return c.isAlways() ? null : c.toYaml();
    }

    private static Integer number(VectorTable t, String symbol) {
        Symbol s = t.symbols().get(symbol);
        return s == null ? null : s.number();
    }

    static String hex(Integer n) {
        return n == null ? "" : String.format("0x%02x", n);
    }

    static String names(Collection<? extends YamlNamed> c) {
        return c.stream().map(YamlNamed::yamlName).collect(Collectors.joining(", "));
    }
}
