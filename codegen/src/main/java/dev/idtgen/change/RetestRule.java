package dev.idtgen.change;

import dev.idtgen.boot.TestResult;
import dev.idtgen.boot.Unit;

import dev.idtgen.model.VectorTable;
import dev.idtgen.boot.BootPlan;
import dev.idtgen.config.ConfigException;
import dev.idtgen.config.ConfigNode;
import dev.idtgen.config.MapNode;
import dev.idtgen.config.YamlDoc;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which test units a change-aware run re-runs for a set of changed vectors, and which keep their baseline results
 * (qemu-tests/change.yaml says why; qemu-tests/README.md, "Change-aware run"). A unit is a program, a crash mode or a boot as
 * a whole ({@code @NAME}), as the results' {@code program} field names it.
 *
 * @param always  program-name patterns every change-aware run boots
 * @param ambient vectors every program raises: a change to one re-runs everything
 * @param raises  program-name pattern to the vectors it raises beyond its test points' names
 */
public record RetestRule(List<Pattern> always, Set<Integer> ambient, Map<Pattern, Set<Integer>> raises) {

    /** The rule's file, relative to the project. */
    public static final String FILE = "qemu-tests/change.yaml";

    /** A test point's name that names a vector by number. */
    private static final Pattern NUMBERED = Pattern.compile("^idt_\\w+ (?:vector|deliver|raise)_0x([0-9a-f]{2})$");
    private static final Pattern RANGE = Pattern.compile("^(0x[0-9a-fA-F]+|\\d+)(?:-(0x[0-9a-fA-F]+|\\d+))?$");

    /** What to boot: the programs and the crash modes to run, each with why. */
    public record Plan(Map<String, String> programs, Map<String, String> crashes) {
    }

    /** Reads {@code file} against {@code table}'s handlers; a malformed file is a {@link ConfigException}. */
    public static RetestRule load(Path file, VectorTable table) throws IOException {
        Map<String, Set<Integer>> byHandler = ChangeSet.vectorsByHandler(table);
        MapNode m = YamlDoc.read(file).allowOnly("always", "ambient", "raises");
        List<Pattern> always = new ArrayList<>();
        for (ConfigNode p : items(m, "always")) {
            always.add(BootPlan.glob(p.asString()));
        }
        Set<Integer> ambient = vectors(items(m, "ambient"), byHandler, table.file());
        Map<Pattern, Set<Integer>> raises = new LinkedHashMap<>();
        if (m.has("raises")) {
            MapNode r = m.map("raises");
            for (String programs : r.keys()) {
                raises.put(BootPlan.glob(programs), vectors(r.list(programs).items(), byHandler, table.file()));
            }
        }
        return new RetestRule(List.copyOf(always), Set.copyOf(ambient), raises);
    }

    /**
     * The plan for a kernel whose {@code changed} vectors differ from its baseline (an empty set: nothing
     * attributable changed), by the declared rules only. {@code programs}: the kernel's programs; {@code crashes}:
     * its crash modes; {@code groupOf}: a program's boot; {@code baseline}: the baseline's results.
     */
    public Plan plan(Set<Integer> changed, List<String> programs, List<String> crashes,
                     Function<String, String> groupOf, List<TestResult> baseline, VectorTable table) {
        return plan(changed, programs, crashes, groupOf, baseline, table, Optional.empty());
    }

    /**
     * As {@link #plan(Set, List, List, Function, List, VectorTable)}, with the baseline's {@code measured} map: a
     * unit it measured re-runs when a test point names a changed vector, or when it or its boot entered one; a unit
     * it did not measure (or every unit, without a map) by the declared rules, {@link #ambient} and {@link #raises}.
     */
    public Plan plan(Set<Integer> changed, List<String> programs, List<String> crashes,
                     Function<String, String> groupOf, List<TestResult> baseline, VectorTable table,
                     Optional<RaisedMap> measured) {
        Map<Unit, List<TestResult>> byUnit = new LinkedHashMap<>();
        baseline.forEach(r -> byUnit.computeIfAbsent(r.unit(), x -> new ArrayList<>()).add(r));
        Set<Integer> ambientHit = new TreeSet<>(ambient);
        ambientHit.retainAll(changed);
        Context c = new Context(changed, ambientHit, ChangeSet.vectorsByHandler(table), measured);
        Map<String, String> runPrograms = new LinkedHashMap<>();
        for (String p : programs) {
            String why = why(Unit.named(p), byUnit.get(Unit.named(p)), c);
            if (why != null) {
                runPrograms.put(p, why);
            }
        }
        Map<String, String> runCrashes = new LinkedHashMap<>();
        for (String crash : crashes) {
            String why = why(Unit.named(crash), byUnit.get(Unit.named(crash)), c);
            if (why != null) {
                runCrashes.put(crash, why);
            }
        }
        // a boot as a whole: all its programs (a crash boot of its own: the crash)
        for (Map.Entry<Unit, List<TestResult>> u : byUnit.entrySet()) {
            if (!(u.getKey() instanceof Unit.Group group)) {
                continue;
            }
            String boot = group.name();
            String why = why(u.getKey(), u.getValue(), c);
            if (why == null) {
                continue;
            }
            if (crashes.contains(boot)) {
                runCrashes.putIfAbsent(boot, why);
            }
            for (String p : programs) {
                if (boot.equals(groupOf.apply(p))) {
                    runPrograms.putIfAbsent(p, "its boot as a whole (" + u.getKey().id() + "): " + why);
                }
            }
        }
        Map<String, String> ordered = new LinkedHashMap<>();
        programs.stream().filter(runPrograms::containsKey).forEach(p -> ordered.put(p, runPrograms.get(p)));
        return new Plan(ordered, runCrashes);
    }

    /** What every unit of one plan is judged against. */
    private record Context(Set<Integer> changed, Set<Integer> ambientHit, Map<String, Set<Integer>> byHandler,
                           Optional<RaisedMap> measured) {
    }

    /** Why {@code unit} re-runs, or null when its baseline results can be carried. */
    private String why(Unit unit, List<TestResult> results, Context c) {
        if (always.stream().anyMatch(p -> p.matcher(unit.id()).matches())) {
            return "always runs";
        }
        if (results == null) {
            return "no result in the baseline";
        }
        if (c.changed().isEmpty()) {
            return null;
        }
        if (c.measured().isEmpty()) {
            return declared(unit, results, c);
        }
        String tests = tests(results, c);
        if (tests != null) {
            return tests;
        }
        RaisedMap.Lookup l = c.measured().get().lookup(unit, c.changed());
        if (l instanceof RaisedMap.Entered e) {
            return e.why();
        }
        if (l instanceof RaisedMap.Unknown u) {
            String why = declared(unit, results, c);
            return why == null ? null : why + " (" + u.why() + ")";
        }
        return null;
    }

    /** "tests 0x.." when one of the unit's test points names a changed vector, else null. */
    private static String tests(List<TestResult> results, Context c) {
        Set<Integer> named = new TreeSet<>();
        for (TestResult r : results) {
            Set<Integer> vs = named(r.name(), c.byHandler());
            if (vs != null) {
                named.addAll(vs);
            }
        }
        named.retainAll(c.changed());
        return named.isEmpty() ? null : "tests " + hex(named);
    }

    /** Why the declared rules (change.yaml) re-run {@code unit}, or null when they carry it. */
    private String declared(Unit unit, List<TestResult> results, Context c) {
        if (!c.ambientHit().isEmpty()) {
            return "every program raises " + hex(c.ambientHit()) + " (" + FILE + ")";
        }
        String tests = tests(results, c);
        if (tests != null) {
            return tests;
        }
        for (Map.Entry<Pattern, Set<Integer>> e : raises.entrySet()) {
            if (e.getKey().matcher(unit.id()).matches()) {
                Set<Integer> hit = new TreeSet<>(e.getValue());
                hit.retainAll(c.changed());
                return hit.isEmpty() ? null : "raises " + hex(hit) + " (" + FILE + ")";
            }
        }
        List<String> unknown = results.stream().map(TestResult::name)
                .filter(n -> named(n, c.byHandler()) == null && !n.endsWith(" harness")).toList();
        if (!unknown.isEmpty()) {
            return "'" + unknown.get(0) + "'" + (unknown.size() > 1 ? " and " + (unknown.size() - 1) + " more" : "")
                    + " name no vector, and vectors changed";
        }
        return null;
    }

    /** The vectors a test point's name names (its handler's, or the number it carries); null: none. */
    static Set<Integer> named(String name, Map<String, Set<Integer>> byHandler) {
        Matcher m = NUMBERED.matcher(name);
        if (m.matches()) {
            return Set.of(Integer.parseInt(m.group(1), 16));
        }
        String first = name.contains(" ") ? name.substring(0, name.indexOf(' ')) : name;
        return byHandler.get(first);
    }

    static String hex(Set<Integer> vs) {
        List<String> l = new ArrayList<>();
        vs.forEach(v -> l.add(String.format("0x%02x", v)));
        return String.join(", ", l);
    }

    /** The items of a list of the file; none when it is absent. */
    private static List<ConfigNode> items(MapNode m, String key) throws ConfigException {
        return m.has(key) ? m.list(key).items() : List.of();
    }

    private static Set<Integer> vectors(List<ConfigNode> items, Map<String, Set<Integer>> byHandler, String table)
            throws ConfigException {
        Set<Integer> out = new LinkedHashSet<>();
        for (ConfigNode i : items) {
            if (i.plain() instanceof Integer n) {
                out.add(n);
                continue;
            }
            String s = i.asString().strip();
            Matcher m = RANGE.matcher(s);
            if (m.matches()) {
                int lo = Integer.decode(m.group(1));
                int hi = m.group(2) == null ? lo : Integer.decode(m.group(2));
                for (int v = lo; v <= hi; v++) {
                    out.add(v);
                }
            } else if (byHandler.containsKey(s)) {
                out.addAll(byHandler.get(s));
            } else {
                throw i.bad(i.path() + ": '" + s + "' is neither a handler of the table (" + table
                        + ") nor a vector range");
            }
        }
        return out;
    }
}
