package dev.idtgen.boot;

import dev.idtgen.io.YamlFiles;
import dev.idtgen.kernel.Profile;
import dev.idtgen.kernel.Variant;
import dev.idtgen.kernel.Workspace;
import dev.idtgen.model.Arch;
import dev.idtgen.config.ConfigNode;
import dev.idtgen.config.MapNode;
import dev.idtgen.config.YamlDoc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Where boots are kept, so that {@code idtgen report} and a change-aware run can judge them again without booting:
 * a directory per booted kernel ({@code boot/ARCH-PROFILE/VARIANT[-fred]/}) holding the kernel as it was booted
 * ({@link #KERNEL_FILE}), a directory per boot with its record and logs, and the results carried from a baseline.
 */
public final class BootStore {

    /** The kernel a boot directory belongs to (not kernel-patch/KERNEL/kernel.yaml, the Debian package's file). */
    public static final String KERNEL_FILE = "booted-kernel.yaml";

    /** In a kernel's directory: the kernel whose boots it is credited with, when their images are identical. */
    public static final String SHARED_FILE = "identical-image.yaml";

    private BootStore() {
    }

    /** Where the boots of (arch, profile) go: one directory per variant below it. */
    public static Path bootDir(Workspace ws, Arch a, Profile p) {
        return ws.perKernel("boot").resolve(a.yamlName() + "-" + p.cliName());
    }

    /** The wall time of each job in the last stage that ran it, for the scheduler's order. */
    public static Path timingsFile(Workspace ws) {
        return ws.perKernel("boot").resolve("timings.yaml");
    }

    /** Saves what a kernel was booted as, for judging its boots again later. */
    public static void saveKernel(BootKernel k) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tag", k.tag());
        m.put("arch", k.arch().yamlName());
        m.put("variant", k.variant().cliName());
        m.put("profile", k.profile().cliName());
        m.put("bzImage", k.bzImage().toString());
        m.put("build", k.buildDir().toString());
        m.put("compiled_in", new ArrayList<>(k.compiledIn()));
        m.put("programs", k.programs());
        m.put("delivery", k.delivery().cliName());
        YamlFiles.write(k.dir().resolve(KERNEL_FILE), m);
    }

    /** The kernel {@link #saveKernel} saved in {@code dir}; a file that is not one is a positioned error. */
    public static BootKernel loadKernel(Path dir) throws IOException {
        MapNode m = YamlDoc.read(dir.resolve(KERNEL_FILE));
        ConfigNode arch = m.get("arch");
        ConfigNode variant = m.get("variant");
        ConfigNode profile = m.get("profile");
        String profileName = profile.asString();
        return new BootKernel(m.string("tag"), Arch.fromYaml(arch.asString()).orElseThrow(() ->
                arch.bad("not an arch")), Variant.parse(variant.asString()).orElseThrow(() ->
                variant.bad("not a variant")), Arrays.stream(Profile.values())
                .filter(p -> p.cliName().equals(profileName)).findFirst().orElseThrow(() ->
                        profile.bad("not a profile")), Path.of(m.string("bzImage")),
                Path.of(m.string("build")), new TreeSet<>(m.stringList("compiled_in")),
                List.copyOf(m.stringList("programs")), dir, Delivery.valueOf(m.string("delivery", "idt")
                .toUpperCase(Locale.ROOT)));
    }

    /**
     * The kernels whose boots are saved for {@code profile} (x86_64 first, stock before generated, the IDT boots
     * before the FRED boots), read back for judging them again.
     */
    public static List<BootKernel> savedKernels(Workspace ws, Profile profile) throws IOException {
        List<BootKernel> kernels = new ArrayList<>();
        for (Arch a : List.of(Arch.X86_64, Arch.I386)) {
            for (String v : List.of("stock", "generated", "stock-fred", "generated-fred")) {
                Path dir = bootDir(ws, a, profile).resolve(v);
                if (Files.isRegularFile(dir.resolve(KERNEL_FILE))) {
                    kernels.add(loadKernel(dir));
                }
            }
        }
        return kernels;
    }

    /**
     * Every boot record of a kernel: those saved under its directory, or, for a kernel credited with an identical
     * image's boots ({@link #share}), those of the kernel that was booted.
     */
    public static List<BootRecord> records(BootKernel k) throws IOException {
        List<BootRecord> rs = new ArrayList<>();
        try (var dirs = Files.list(source(k))) {
            for (Path d : dirs.sorted().toList()) {
                if (Files.isRegularFile(d.resolve(BootRecord.FILE))) {
                    rs.add(BootRecord.load(d));
                }
            }
        }
        return rs;
    }

    /** A boot as the judge reads it: its record, its console and its test stream. */
    public static BootLog log(BootRecord r) throws IOException {
        return new BootLog(r, r.consoleText(), r.testLines());
    }

    /** The logs of {@code records}, in their order. */
    public static List<BootLog> logs(List<BootRecord> records) throws IOException {
        List<BootLog> logs = new ArrayList<>();
        for (BootRecord r : records) {
            logs.add(log(r));
        }
        return logs;
    }

    /** Boots grouped by chain (a job's first boot and those that went on after it), each chain in boot order. */
    public static Map<String, List<BootLog>> chains(List<BootLog> logs) {
        Map<String, List<BootLog>> chains = new LinkedHashMap<>();
        logs.stream().sorted(Comparator.comparing((BootLog l) -> l.record().job())
                        .thenComparing(l -> l.record().attempt()).thenComparingInt(l -> l.record().seq()))
                .forEach(l -> chains.computeIfAbsent(l.record().chain(), x -> new ArrayList<>()).add(l));
        return chains;
    }

    /**
     * Saves the results a change-aware run carries from the kernel's baseline instead of re-running them (each
     * marked with its baseline); {@link #carried} reads them back for the judge.
     */
    public static void carry(BootKernel k, List<TestResult> carried) throws IOException {
        Path f = k.dir().resolve(ResultsFile.CARRIED);
        if (carried.isEmpty()) {
            Files.deleteIfExists(f);
            return;
        }
        for (TestResult r : carried) {
            if (!r.isCarried()) {
                throw new IllegalArgumentException("a carried result must name its baseline: " + r);
            }
        }
        YamlFiles.write(f, ResultsFile.toData(carried));
    }

    /** The results {@link #carry} saved for the kernel (none after a full run). */
    public static List<TestResult> carried(BootKernel k) throws IOException {
        Path f = source(k).resolve(ResultsFile.CARRIED);
        if (!Files.isRegularFile(f)) {
            return List.of();
        }
        return ResultsFile.fromNode(YamlDoc.readAny(f));
    }

    /**
     * Records that {@code s.credited()} is not booted and gets {@code s.booted()}'s results: the credited kernel's
     * directory names the booted kernel's and the proof, so that {@link #records}, {@link #carried} and
     * {@code idtgen report} follow it.
     */
    public static void share(SharedImage s) throws IOException {
        if (!s.booted().dir().getParent().equals(s.credited().dir().getParent())) {
            throw new IllegalArgumentException("shared boots are kept side by side: " + s);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("booted", s.booted().dir().getFileName().toString());
        m.put("proof", s.proof());
        YamlFiles.write(s.credited().dir().resolve(SHARED_FILE), m);
    }

    /** The identical image whose boots {@code k} is credited with ({@link #share}); empty when it boots itself. */
    public static Optional<SharedImage> shared(BootKernel k) throws IOException {
        Path f = k.dir().resolve(SHARED_FILE);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        MapNode m = YamlDoc.read(f);
        BootKernel booted = loadKernel(k.dir().resolveSibling(m.string("booted")));
        return Optional.of(new SharedImage(booted, k, m.string("proof")));
    }

    /** Where a kernel's boots are: its own directory, or the booted twin's. */
    private static Path source(BootKernel k) throws IOException {
        Optional<SharedImage> s = shared(k);
        return s.isPresent() ? s.get().booted().dir() : k.dir();
    }
}
