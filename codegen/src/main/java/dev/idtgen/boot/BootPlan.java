package dev.idtgen.boot;

import dev.idtgen.model.Arch;
import dev.idtgen.config.ConfigException;
import dev.idtgen.config.MapNode;
import dev.idtgen.config.YamlDoc;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
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

    /** Reads {@code file}; a malformed file is a {@link ConfigException} naming where and why. */
    public static BootPlan load(Path file) throws IOException {
        return BootPlanReader.read(YamlDoc.read(file));
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
     * architecture is given. A malformed plan is an IllegalArgumentException; readers of a file use
     * {@link #parse(MapNode, Map)}.
     */
    public static BootPlan parse(Map<String, Object> root, Map<Arch, Qemu> emulator) {
        try {
            return parse(YamlDoc.of("the plan", root), emulator);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** As {@link #parse(Map, Map)}, from a file's mapping; the caller checks the top-level keys. */
    public static BootPlan parse(MapNode root, Map<Arch, Qemu> emulator) throws ConfigException {
        return BootPlanReader.rest(root, new EnumMap<>(emulator));
    }

    /** The top-level keys of the schema but {@code qemu}. */
    public static Set<String> keys() {
        return BootPlanReader.KEYS;
    }

    static BootPlan parse(Map<String, Object> root) {
        try {
            return BootPlanReader.read(YamlDoc.of("the plan", root));
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
