package dev.idtgen.boot;

import dev.idtgen.model.Arch;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * qemu-tests/boots.yaml: the QEMU line per architecture, the hang detectors
 * (budgets in emulator CPU seconds), the boots a kernel gets (which programs
 * go together, with how many vCPUs and which vCPU model), the crash boots and
 * the monitor commands for the guest's inject requests.
 */
public record BootPlan(Map<Arch, Qemu> qemu, String append, Limits limits, Map<String, Double> budgets,
                       List<Group> groups, List<Crash> crashes, Map<String, String> inject,
                       Map<String, ProfileBoots> profiles) {

    /** A plan without per-profile selections: every kernel gets every program and every crash boot. */
    public BootPlan(Map<Arch, Qemu> qemu, String append, Limits limits, Map<String, Double> budgets,
                    List<Group> groups, List<Crash> crashes, Map<String, String> inject) {
        this(qemu, append, limits, budgets, groups, crashes, inject, Map.of());
    }

    /** What a kernel of one profile gets: the programs matching {@code programs}, and crash boots or not. */
    public record ProfileBoots(List<Pattern> programs, boolean crashes) {
    }

    /** The programs of {@code all} that a kernel of {@code profile} gets (all of them unless the plan says). */
    public List<String> programs(String profile, List<String> all) {
        ProfileBoots p = profiles.get(profile);
        return p == null ? all : all.stream().filter(n -> p.programs().stream()
                .anyMatch(x -> x.matcher(n).matches())).toList();
    }

    /** Whether a kernel of {@code profile} gets the crash boots. */
    public boolean crashes(String profile) {
        ProfileBoots p = profiles.get(profile);
        return p == null || p.crashes();
    }

    /** The emulator of an architecture and its default vCPU. */
    public record Qemu(String binary, String machine, String cpu, int memoryMb) {
    }

    /**
     * Hang detectors: a phase's limit is its budget times {@code margin} in emulator CPU seconds; {@code idle} is
     * how long (wall seconds) a guest may use under 2 % of a CPU; {@code guest} scales /init's own backstop.
     */
    public record Limits(double margin, double budget, double boot, double idle, double guest, int reruns) {
    }

    /** A boot of a kernel: the programs matching {@code patterns} (first match wins). */
    public record Group(String name, Set<Arch> arches, int cpus, Map<Arch, String> cpu, List<Pattern> patterns,
                       String why, String accel) {
        public boolean matches(String program) {
            return patterns.stream().anyMatch(p -> p.matcher(program).matches());
        }
    }

    /** A boot that crashes the kernel on purpose, and what the console must then say. */
    public record Crash(String mode, String test, Set<Arch> arches, Map<Arch, String> cpu, List<Pattern> expect,
                        Pattern skipWhen, String skipReason, Map<Arch, String> after) {
    }

    public static BootPlan load(Path file) throws IOException {
        Object root = new Load(LoadSettings.builder().setLabel(file.toString()).build())
                .loadFromString(Files.readString(file, StandardCharsets.UTF_8));
        try {
            return parse(map(root, "the file"));
        } catch (IllegalArgumentException | ClassCastException | NullPointerException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /** The limit of a program in emulator CPU seconds. */
    public double limit(String program) {
        return budgets.getOrDefault(program, limits.budget()) * limits.margin();
    }

    /** The limit of the phases outside programs (boot, gaps, shutdown, a crash). */
    public double bootLimit() {
        return limits.boot() * limits.margin();
    }

    public double budget(String program) {
        return budgets.getOrDefault(program, limits.budget());
    }

    /** The group a program of {@code arch} belongs to. */
    public Optional<Group> group(Arch arch, String program) {
        return groups.stream().filter(g -> g.arches().contains(arch) && g.matches(program)).findFirst();
    }

    public Optional<Group> group(String name) {
        return groups.stream().filter(g -> g.name().equals(name)).findFirst();
    }

    public String cpu(Arch arch, Map<Arch, String> override) {
        return override.getOrDefault(arch, qemu.get(arch).cpu());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o, String what) {
        if (!(o instanceof Map<?, ?>)) {
            throw new IllegalArgumentException(what + " must be a mapping");
        }
        return (Map<String, Object>) o;
    }

    private static List<?> list(Object o, String what) {
        if (!(o instanceof List<?> l)) {
            throw new IllegalArgumentException(what + " must be a list");
        }
        return l;
    }

    private static double num(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException("limits." + key + " must be a number");
        }
        return n.doubleValue();
    }

    private static Set<Arch> arches(Object o) {
        if (o == null) {
            return Set.of(Arch.values());
        }
        Set<Arch> s = new java.util.TreeSet<>();
        for (Object a : list(o, "arches")) {
            s.add(Arch.fromYaml(String.valueOf(a)).orElseThrow(() -> new IllegalArgumentException("'" + a
                    + "' is not an architecture")));
        }
        return s;
    }

    /** {@code cpu: MODEL} (or {@code after: BOOT}) for every arch, or {@code {ARCH: MODEL}}. */
    private static Map<Arch, String> cpu(Object o) {
        Map<Arch, String> m = new EnumMap<>(Arch.class);
        if (o == null) {
            return m;
        }
        if (o instanceof Map<?, ?> per) {
            per.forEach((k, v) -> m.put(Arch.fromYaml(String.valueOf(k)).orElseThrow(() ->
                    new IllegalArgumentException("'" + k + "' is not an architecture")), String.valueOf(v)));
        } else {
            for (Arch a : Arch.values()) {
                m.put(a, String.valueOf(o));
            }
        }
        return m;
    }

    /** A program-name pattern of the data files: {@code *} matches any run of characters. */
    public static Pattern glob(String g) {
        List<String> parts = new ArrayList<>();
        for (String part : g.split("\\*", -1)) {
            parts.add(part.isEmpty() ? "" : Pattern.quote(part));
        }
        return Pattern.compile(String.join(".*", parts));
    }

    /**
     * The plan of another emulator's file, which follows this schema but for the {@code qemu} key: its emulator per
     * architecture is given.
     */
    public static BootPlan parse(Map<String, Object> root, Map<Arch, Qemu> emulator) {
        return parseRest(root, new EnumMap<>(emulator));
    }

    static BootPlan parse(Map<String, Object> root) {
        Map<Arch, Qemu> qemu = new EnumMap<>(Arch.class);
        map(root.get("qemu"), "qemu").forEach((k, v) -> {
            Map<String, Object> q = map(v, "qemu." + k);
            Arch a = Arch.fromYaml(k).orElseThrow(() -> new IllegalArgumentException("qemu: '" + k
                    + "' is not an architecture"));
            qemu.put(a, new Qemu(String.valueOf(q.get("binary")), String.valueOf(q.getOrDefault("machine", "pc")),
                    String.valueOf(q.get("cpu")), ((Number) q.getOrDefault("memory", 512)).intValue()));
        });
        for (Arch a : Arch.values()) {
            if (!qemu.containsKey(a)) {
                throw new IllegalArgumentException("qemu: no entry for " + a.yamlName());
            }
        }
        return parseRest(root, qemu);
    }

    private static BootPlan parseRest(Map<String, Object> root, Map<Arch, Qemu> qemu) {
        Map<String, Object> l = map(root.get("limits"), "limits");
        Limits limits = new Limits(num(l, "margin"), num(l, "budget"), num(l, "boot"), num(l, "idle"),
                num(l, "guest"), (int) num(l, "reruns"));
        Map<String, Double> budgets = new LinkedHashMap<>();
        if (root.get("budgets") != null) {
            map(root.get("budgets"), "budgets").forEach((k, v) -> budgets.put(k, ((Number) v).doubleValue()));
        }
        List<Group> groups = new ArrayList<>();
        for (Object o : list(root.get("boots"), "boots")) {
            Map<String, Object> g = map(o, "a boot");
            List<Pattern> pats = new ArrayList<>();
            for (Object p : list(g.get("programs"), "boots.programs")) {
                pats.add(glob(String.valueOf(p)));
            }
            groups.add(new Group(String.valueOf(g.get("name")), arches(g.get("arches")),
                    ((Number) g.getOrDefault("cpus", 1)).intValue(), cpu(g.get("cpu")), pats,
                    String.valueOf(g.getOrDefault("why", "")), String.valueOf(g.getOrDefault("accel", "tcg"))));
        }
        List<Crash> crashes = new ArrayList<>();
        for (Object o : list(root.get("crashes"), "crashes")) {
            Map<String, Object> c = map(o, "a crash boot");
            List<Pattern> expect = new ArrayList<>();
            for (Object p : list(c.get("expect"), "crashes.expect")) {
                expect.add(Pattern.compile(String.valueOf(p)));
            }
            crashes.add(new Crash(String.valueOf(c.get("mode")), String.valueOf(c.get("test")),
                    arches(c.get("arches")), cpu(c.get("cpu")), expect,
                    c.get("skip_when") == null ? null : Pattern.compile(Pattern.quote(String.valueOf(c.get("skip_when")))),
                    String.valueOf(c.getOrDefault("skip_reason", "")), cpu(c.get("after"))));
        }
        Map<String, String> inject = new LinkedHashMap<>();
        map(root.get("inject"), "inject").forEach((k, v) -> inject.put(k, String.valueOf(v)));
        Map<String, ProfileBoots> profiles = new LinkedHashMap<>();
        if (root.get("profiles") != null) {
            map(root.get("profiles"), "profiles").forEach((name, v) -> {
                Map<String, Object> pm = map(v, "profiles." + name);
                List<Pattern> pats = new ArrayList<>();
                for (Object p : list(pm.get("programs"), "profiles." + name + ".programs")) {
                    pats.add(glob(String.valueOf(p)));
                }
                profiles.put(name, new ProfileBoots(pats, !Boolean.FALSE.equals(pm.get("crashes"))));
            });
        }
        return new BootPlan(qemu, String.valueOf(root.get("append")), limits, budgets, groups, crashes, inject,
                profiles);
    }
}
