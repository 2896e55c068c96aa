package dev.idtgen.edit;

import dev.idtgen.model.Arch;
import dev.idtgen.model.VectorTable;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static dev.idtgen.edit.TableFacts.hex;
import static dev.idtgen.edit.TableFacts.names;

/**
 * What an edit of the table changes against a reference, both projected onto one kernel: the stock kernel's own
 * table (imported from its tree) and the user's edited one. A later step requires every vector outside the diff
 * to be byte-identical to stock and judges the ones inside it against the edited table.
 * <p>
 * Compared are exactly the structural facts, those the import round trip compares: an entry's vector, number,
 * kind, error code, condition, {@code otherwise}, waived rule ids and FRED route (routes, call, guard, fast path,
 * stack level, whether exempt); its gates' type, DPL, IST, TSS, condition and waived rule ids; the stub arrays'
 * bounds, target and condition; the symbols. Never prose (waiver and exemption reasons) nor positions, so the
 * import of a stock tree and vectors.yaml projected onto the same kernel give an empty diff. Each fact is compared
 * per architecture, on the architecture whose build it reaches: FRED and IST only on x86_64 (i386 builds ISTG as
 * INTG), so a change of them is an x86_64 change. Conditions compare by their printed form, which is what reaches
 * an {@code #if} line ({@code A && (B && C)} and {@code (A && B) && C} are one).
 *
 * @param changes one per changed entry handler (with its gates), stub array, or symbol no entry names as its
 *                vector; by number (after, else before), then name
 */
public record TableDiff(List<VectorChange> changes) {

    public enum How { ADDED, REMOVED, CHANGED }

    /** What a change is about; the label names its own facts where a line needs a name for them. */
    public enum Subject {
        /** An entry point: its entries (one per architecture) and its gates. */
        VECTOR("entry"),
        STUB_ARRAY("stub array"),
        /** A symbol no entry names as its vector (one that does is part of its entries' facts). */
        SYMBOL("symbol");

        private final String label;

        Subject(String label) {
            this.label = label;
        }
    }

    /**
     * One entry point (or stub array, or symbol) the edit changes, on the architectures where it differs.
     *
     * @param handler the entry's handler, the stub array's or the symbol's name
     * @param before  its number in the reference (a stub array's first vector), null when it has none there
     * @param after   its number in the edit, null when it has none there
     * @param what    each changed fact as "field before -> after" (a gate's "def_idts gate IST none -> DB"; a
     *                whole gate or architecture row as "def_idts gate none -> {type system, DPL 3}"); for an added
     *                or removed one its facts, "field value". A line that holds on only some of {@code arches}
     *                starts with them ("x86_64: ")
     * @param vectors the vector numbers it touches on either side: an entry's numbers, a stub array's ranges
     *                (none for a symbol: its users carry them)
     */
    public record VectorChange(Subject subject, String handler, Integer before, Integer after, How how,
                               Set<Arch> arches, List<String> what, Set<Integer> vectors) {

        public VectorChange {
            arches = Collections.unmodifiableSortedSet(new TreeSet<>(arches));
            what = List.copyOf(what);
            vectors = Collections.unmodifiableSortedSet(new TreeSet<>(vectors));
        }

        /** "0xf3 -> 0xf1 sysvec_x: number 0xf3 -> 0xf1", with "(x86_64)" after the name when not on every arch. */
        public String line() {
            String number = before == null || after == null || before.equals(after)
                    ? hex(after != null ? after : before) : hex(before) + " -> " + hex(after);
            String on = arches.size() == Arch.values().length ? "" : " (" + names(arches) + ")";
            String body = switch (how) {
                case ADDED -> "added (" + String.join(", ", what) + ")";
                case REMOVED -> "removed (" + String.join(", ", what) + ")";
                case CHANGED -> String.join("; ", what);
            };
            return (number.isEmpty() ? "" : number + " ") + handler + on + ": " + body;
        }
    }

    public TableDiff {
        changes = List.copyOf(changes);
    }

    /** The vectors {@code edited} changes against {@code reference}. */
    public static TableDiff between(VectorTable reference, VectorTable edited) {
        Set<String> named = new HashSet<>();
        reference.entries().forEach(e -> named.add(e.vector()));
        edited.entries().forEach(e -> named.add(e.vector()));
        Map<TableFacts.Key, TableFacts.Item> before = TableFacts.of(reference, named);
        Map<TableFacts.Key, TableFacts.Item> after = TableFacts.of(edited, named);
        Set<TableFacts.Key> keys = new HashSet<>(before.keySet());
        keys.addAll(after.keySet());
        List<VectorChange> out = new ArrayList<>();
        keys.forEach(k -> compare(k, before.get(k), after.get(k)).ifPresent(out::add));
        out.sort(Comparator.comparing((VectorChange c) -> c.after() != null ? c.after() : c.before(),
                Comparator.nullsLast(Comparator.naturalOrder())).thenComparing(VectorChange::handler)
                .thenComparing(VectorChange::subject));
        return new TableDiff(out);
    }

    public boolean isEmpty() {
        return changes.isEmpty();
    }

    /** The change of the entry point, stub array or symbol of that name. */
    public Optional<VectorChange> of(String handler) {
        return changes.stream().filter(c -> c.handler().equals(handler)).findFirst();
    }

    /** The names of every change: handlers, and the stub arrays' and symbols' names. */
    public Set<String> handlers() {
        return changes.stream().map(VectorChange::handler).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Every vector number a change touches, before or after ({@link VectorChange#vectors()}). */
    public Set<Integer> numbers() {
        return changes.stream().flatMap(c -> c.vectors().stream()).collect(Collectors.toCollection(TreeSet::new));
    }

    /** One human line per change, in order ({@link VectorChange#line()}). */
    public List<String> lines() {
        return changes.stream().map(VectorChange::line).toList();
    }

    // ---- comparing ----------------------------------------------------------------------------------------

    private static Optional<VectorChange> compare(TableFacts.Key k, TableFacts.Item b, TableFacts.Item a) {
        Map<String, Set<Arch>> lines = new LinkedHashMap<>();
        Set<Arch> arches = new TreeSet<>();
        for (Arch arch : Arch.values()) {
            Map<String, Map<String, String>> gb = b == null ? null : b.facts().get(arch);
            Map<String, Map<String, String>> ga = a == null ? null : a.facts().get(arch);
            List<String> l = b == null || a == null ? describe(gb != null ? gb : ga)
                    : differences(k.subject(), gb == null ? Map.of() : gb, ga == null ? Map.of() : ga);
            l.forEach(line -> lines.computeIfAbsent(line, x -> new TreeSet<>()).add(arch));
            if (!l.isEmpty()) {
                arches.add(arch);
            }
        }
        if (arches.isEmpty()) {
            return Optional.empty();
        }
        List<String> what = new ArrayList<>();
        lines.forEach((line, on) -> what.add(on.equals(arches) ? line : names(on) + ": " + line));
        Set<Integer> vectors = new TreeSet<>();
        if (k.subject() != Subject.SYMBOL) {
            Optional.ofNullable(b).ifPresent(i -> vectors.addAll(i.vectors()));
            Optional.ofNullable(a).ifPresent(i -> vectors.addAll(i.vectors()));
        }
        How how = b == null ? How.ADDED : a == null ? How.REMOVED : How.CHANGED;
        return Optional.of(new VectorChange(k.subject(), k.name(), b == null ? null : b.number(),
                a == null ? null : a.number(), how, arches, what, vectors));
    }

    /** The facts of a subject only one side has: its own "field value", each gate as a whole. */
    private static List<String> describe(Map<String, Map<String, String>> groups) {
        List<String> out = new ArrayList<>();
        (groups == null ? Map.<String, Map<String, String>>of() : groups).forEach((g, f) -> {
            if (g.equals(TableFacts.OWN)) {
                f.forEach((field, v) -> out.add(field + " " + v));
            } else {
                out.add(g + " " + summary(f));
            }
        });
        return out;
    }

    /** "field before -> after" per differing fact; a group only one side has as a whole. */
    private static List<String> differences(Subject s, Map<String, Map<String, String>> b,
                                            Map<String, Map<String, String>> a) {
        List<String> out = new ArrayList<>();
        Set<String> groups = new LinkedHashSet<>(b.keySet());
        groups.addAll(a.keySet());
        for (String g : groups) {
            Map<String, String> fb = b.get(g);
            Map<String, String> fa = a.get(g);
            boolean own = g.equals(TableFacts.OWN);
            if (fb == null || fa == null) {
                out.add((own ? s.label : g) + " " + (fb == null ? "none" : summary(fb)) + " -> "
                        + (fa == null ? "none" : summary(fa)));
                continue;
            }
            Set<String> fields = new LinkedHashSet<>(fb.keySet());
            fields.addAll(fa.keySet());
            fields.stream().filter(f -> !Objects.equals(fb.get(f), fa.get(f))).forEach(f -> out.add((own ? "" : g + " ")
                    + f + " " + fb.getOrDefault(f, "none") + " -> " + fa.getOrDefault(f, "none")));
        }
        return out;
    }

    // ---- printing -----------------------------------------------------------------------------------------

    private static String summary(Map<String, String> f) {
        return f.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", ", "{", "}"));
    }
}
