package dev.idtgen.change;

import dev.idtgen.boot.BootRecord;
import dev.idtgen.boot.Unit;
import dev.idtgen.config.ConfigException;
import dev.idtgen.config.ConfigNode;
import dev.idtgen.config.MapNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which vectors each test unit of one kernel entered, as measured in its boots ({@link InterruptLog}): per unit (a
 * program, a crash mode) the vectors of its window and the boot it ran in, and per boot (a group of the plan, or a
 * crash's own boot) the vectors of /init's own phases (between the programs, and the shutdown) and of the kernel's
 * boot before /init. What could not be measured says why. Kept with the baseline; {@link RetestRule} reads it.
 *
 * @param units by unit id ({@code traps-64}, {@code crash-df})
 * @param boots by boot (group) name
 */
public record RaisedMap(Map<String, UnitEntry> units, Map<String, BootEntry> boots) {

    /** The version of the marks and the map: a baseline's map of another version is not used. */
    public static final int VERSION = 1;

    public RaisedMap {
        units = Map.copyOf(units);
        boots = Map.copyOf(boots);
    }

    /** A unit's or a phase's vectors, or why there are none. */
    public sealed interface Measure permits Measured, NotMeasured {
    }

    public record Measured(Set<Integer> vectors) implements Measure {
        public Measured {
            vectors = Set.copyOf(vectors);
        }
    }

    public record NotMeasured(String why) implements Measure {
    }

    /** A unit: the boot (group) it ran in and what it entered there. */
    public record UnitEntry(String boot, Measure measure) {
    }

    /** A boot: /init's own phases ({@code init}) and the kernel's boot up to /init ({@code kernel}). */
    public record BootEntry(Measure init, Measure kernel) {
    }

    /**
     * One boot as the map reads it: its job, the programs /init was told to run (in order: the marks' indexes),
     * its crash mode (or null), why its log may lack its end ({@code ""}: QEMU ended by itself) and its phases
     * (empty: no interrupt log, e.g. a Bochs boot).
     */
    public record Boot(String job, List<String> programs, String crash, String unfinished,
                       Optional<InterruptLog.Phases> phases) {

        /** A saved boot with the phases its directory holds. */
        public static Boot of(BootRecord r) throws IOException {
            String unfinished = r.kill() != null ? "was killed: " + r.kill().describe()
                    : r.exitCode() != 0 ? "ended with QEMU's exit code " + r.exitCode() : "";
            return new Boot(r.job(), r.programs(), r.crash(), unfinished, InterruptLog.read(r.dir()));
        }

        /** The boot (group) of the plan it is: a single-program re-run's job names its group first. */
        String group() {
            int tilde = job.indexOf(Unit.SINGLE_PROGRAM);
            return tilde < 0 ? job : job.substring(0, tilde);
        }
    }

    /** The map of a kernel's boots. Pure. */
    public static RaisedMap of(List<Boot> boots) {
        Map<String, UnitEntry> units = new TreeMap<>();
        Map<String, BootEntry> phases = new TreeMap<>();
        for (Boot b : boots) {
            String group = b.group();
            measure(b).forEach((unit, m) -> units.merge(unit, new UnitEntry(group, m),
                    (x, y) -> new UnitEntry(x.boot(), merge(x.measure(), y.measure()))));
            phases.merge(group, phases(b), (x, y) -> new BootEntry(merge(x.init(), y.init()),
                    merge(x.kernel(), y.kernel())));
        }
        return new RaisedMap(units, phases);
    }

    /** What one boot says of the units it ran. */
    private static Map<String, Measure> measure(Boot b) {
        Map<String, Measure> out = new LinkedHashMap<>();
        Optional<String> whole = wholeBoot(b);
        if (whole.isPresent()) {
            b.programs().forEach(p -> out.put(p, new NotMeasured(whole.get())));
            if (b.crash() != null) {
                out.put(b.crash(), new NotMeasured(whole.get()));
            }
            return out;
        }
        InterruptLog.Phases p = b.phases().orElseThrow();
        p.programs().forEach((i, w) -> out.put(b.programs().get(i), w.ended() ? new Measured(w.vectors())
                : new NotMeasured(b.unfinished().isEmpty() ? "it did not end: it took the kernel down"
                : "its boot " + b.unfinished())));
        if (b.crash() != null && p.crash().isPresent()) {
            InterruptLog.Window w = p.crash().get();
            // a crash that ends the VM: its window runs to the end of a complete log
            out.put(b.crash(), w.ended() || b.unfinished().isEmpty() ? new Measured(w.vectors())
                    : new NotMeasured("its boot " + b.unfinished()));
        }
        return out;
    }

    /** Why nothing of boot {@code b} is measured; empty when its marks can be read. */
    private static Optional<String> wholeBoot(Boot b) {
        if (b.phases().isEmpty()) {
            return Optional.of("its boot left no interrupt log");
        }
        InterruptLog.Phases p = b.phases().get();
        if (!p.measured()) {
            return Optional.of("its boot's interrupt log: " + p.problem());
        }
        int beyond = p.programs().keySet().stream().filter(i -> i >= b.programs().size()).findFirst().orElse(-1);
        return beyond < 0 ? Optional.empty() : Optional.of("its boot's interrupt log marks program " + beyond
                + ", and the boot ran " + b.programs().size());
    }

    private static BootEntry phases(Boot b) {
        Optional<String> whole = wholeBoot(b);
        if (whole.isPresent()) {
            return new BootEntry(new NotMeasured(whole.get()), new NotMeasured(whole.get()));
        }
        InterruptLog.Phases p = b.phases().orElseThrow();
        return new BootEntry(b.unfinished().isEmpty() ? new Measured(p.init())
                : new NotMeasured("the boot " + b.unfinished()), new Measured(p.kernel()));
    }

    /** Two measurements of one thing: the union, or the first reason there is none. */
    static Measure merge(Measure a, Measure b) {
        if (a instanceof NotMeasured) {
            return a;
        }
        if (b instanceof NotMeasured) {
            return b;
        }
        Set<Integer> all = new TreeSet<>(((Measured) a).vectors());
        all.addAll(((Measured) b).vectors());
        return new Measured(all);
    }

    /**
     * This map with the entries of {@code previous} for the {@code carried} units it lacks, and for the boots it
     * lacks that those ran in: a change-aware run measures only what it re-ran and carries the rest with its
     * results.
     */
    public RaisedMap withCarried(RaisedMap previous, Set<String> carried) {
        Map<String, UnitEntry> u = new TreeMap<>(units);
        Map<String, BootEntry> b = new TreeMap<>(boots);
        for (String id : carried) {
            UnitEntry e = previous.units().get(id);
            if (e != null && !u.containsKey(id)) {
                u.put(id, e);
            }
            String boot = e != null ? e.boot() : id.startsWith(Unit.GROUP_PREFIX)
                    ? id.substring(Unit.GROUP_PREFIX.length()) : null;
            if (boot != null && !b.containsKey(boot) && previous.boots().containsKey(boot)) {
                b.put(boot, previous.boots().get(boot));
            }
        }
        return new RaisedMap(u, b);
    }

    /** What the map says of a unit against the changed vectors. */
    public sealed interface Lookup permits Entered, Clear, Unknown {
    }

    /** The unit or its boot entered a changed vector: it re-runs, for this reason. */
    public record Entered(String why) implements Lookup {
    }

    /** Neither the unit nor its boot entered a changed vector. */
    public record Clear() implements Lookup {
    }

    /** Not measured, for this reason: the declared rules decide. */
    public record Unknown(String why) implements Lookup {
    }

    /**
     * Whether {@code unit} or the boot it ran in entered one of the {@code changed} vectors: a program or crash mode
     * by its window and its boot's own phases, a boot as a whole ({@code @NAME}) by its own phases.
     */
    public Lookup lookup(Unit unit, Set<Integer> changed) {
        String boot;
        if (unit instanceof Unit.Group g) {
            boot = g.name();
        } else if (unit instanceof Unit.Named n) {
            UnitEntry e = units.get(n.name());
            if (e == null) {
                return new Unknown("not measured: the map has no measurement of it");
            }
            if (e.measure() instanceof NotMeasured x) {
                return new Unknown("not measured: " + x.why());
            }
            Set<Integer> hit = hit(((Measured) e.measure()).vectors(), changed);
            if (!hit.isEmpty()) {
                return new Entered("entered " + RetestRule.hex(hit) + " (measured)");
            }
            boot = e.boot();
        } else {
            return new Unknown("not measured: no boot");
        }
        return lookupBoot(boot, changed, unit instanceof Unit.Group ? "entered " : "its boot (" + boot + ") entered ");
    }

    private Lookup lookupBoot(String boot, Set<Integer> changed, String prefix) {
        BootEntry b = boots.get(boot);
        if (b == null) {
            return new Unknown("not measured: the map has no boot " + boot);
        }
        if (b.init() instanceof NotMeasured x) {
            return new Unknown("not measured: boot " + boot + ": " + x.why());
        }
        Set<Integer> hit = hit(((Measured) b.init()).vectors(), changed);
        return hit.isEmpty() ? new Clear() : new Entered(prefix + RetestRule.hex(hit)
                + " outside the programs (measured)");
    }

    private static Set<Integer> hit(Set<Integer> vectors, Set<Integer> changed) {
        Set<Integer> hit = new TreeSet<>(vectors);
        hit.retainAll(changed);
        return hit;
    }

    /** True when at least one unit was measured. */
    public boolean anyMeasured() {
        return units.values().stream().anyMatch(e -> e.measure() instanceof Measured);
    }

    Map<String, Object> toData() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", VERSION);
        Map<String, Object> bs = new LinkedHashMap<>();
        new TreeMap<>(boots).forEach((name, e) -> {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("init", data(e.init()));
            x.put("kernel", data(e.kernel()));
            bs.put(name, x);
        });
        m.put("boots", bs);
        Map<String, Object> us = new LinkedHashMap<>();
        new TreeMap<>(units).forEach((name, e) -> {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("boot", e.boot());
            x.put("vectors", data(e.measure()));
            us.put(name, x);
        });
        m.put("units", us);
        return m;
    }

    private static Object data(Measure m) {
        return m instanceof Measured x ? InterruptLog.hex(x.vectors())
                : Map.of("not_measured", ((NotMeasured) m).why());
    }

    /** The map {@link #toData} wrote; empty when it is of another {@link #VERSION}. Malformed: positioned. */
    static Optional<RaisedMap> fromNode(MapNode m) throws ConfigException {
        m.allowOnly("version", "boots", "units");
        if (m.integer("version") != VERSION) {
            return Optional.empty();
        }
        Map<String, BootEntry> boots = new TreeMap<>();
        MapNode bs = m.map("boots");
        for (String name : bs.keys()) {
            MapNode e = bs.get(name).asMap().allowOnly("init", "kernel");
            boots.put(name, new BootEntry(measure(e.get("init")), measure(e.get("kernel"))));
        }
        Map<String, UnitEntry> units = new TreeMap<>();
        MapNode us = m.map("units");
        for (String name : us.keys()) {
            MapNode e = us.get(name).asMap().allowOnly("boot", "vectors");
            units.put(name, new UnitEntry(e.string("boot"), measure(e.get("vectors"))));
        }
        return Optional.of(new RaisedMap(units, boots));
    }

    private static Measure measure(ConfigNode n) throws ConfigException {
        if (n.isMap()) {
            return new NotMeasured(n.asMap().allowOnly("not_measured").string("not_measured"));
        }
        return new Measured(InterruptLog.vectors(n));
    }

    /** Every unit's and boot's vectors on a line each, for people. */
    public List<String> describe() {
        List<String> out = new ArrayList<>();
        boots.forEach((name, e) -> out.add("@" + name + ": init " + text(e.init()) + "; kernel " + text(e.kernel())));
        units.forEach((name, e) -> out.add(name + " (" + e.boot() + "): " + text(e.measure())));
        return out;
    }

    private static String text(Measure m) {
        if (m instanceof Measured x) {
            return x.vectors().isEmpty() ? "none" : InterruptLog.hex(x.vectors());
        }
        return "not measured (" + ((NotMeasured) m).why() + ")";
    }
}
