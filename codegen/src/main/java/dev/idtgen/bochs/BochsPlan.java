package dev.idtgen.bochs;

import dev.idtgen.kernel.Profile;
import dev.idtgen.model.Arch;
import dev.idtgen.boot.Backend;
import dev.idtgen.boot.BootPlan;
import dev.idtgen.boot.Delivery;
import dev.idtgen.boot.Emulator;
import dev.idtgen.config.ConfigException;
import dev.idtgen.config.MapNode;
import dev.idtgen.config.YamlDoc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * qemu-tests/bochs.yaml: the FRED boots. Which kernels get them (series to
 * arch-profile pairs), where Bochs is (a directory named by an environment
 * variable), the CPU model, the GRUB configuration and the bochsrc of a boot,
 * the console line that proves FRED was active, and the boots themselves in
 * boots.yaml's schema ({@link BootPlan}).
 *
 * @param env       the environment variable naming Bochs' directory
 * @param files     the binary and the two ROM images, relative to that directory
 * @param kernels   series to the arch-profile pairs ({@code x86_64-tiny}) that get FRED boots
 * @param evidence  what every FRED boot's console must show
 * @param boots     the boots, limits and crashes (its {@code qemu} holds Bochs' CPU model per arch)
 * @param untestable handler to why FRED gets no verdict for it on Bochs, where that differs from QEMU's reason
 */
public record BochsPlan(String env, List<String> files, Map<String, List<String>> kernels, Pattern evidence,
                        String grub, String bochsrc, Map<String, String> emulator, BootPlan boots,
                        Map<String, String> untestable) {

    /** The plan, relative to the project. */
    public static final String FILE = "qemu-tests/bochs.yaml";

    /** The emulator's keys, each required. */
    private static final List<String> EMULATOR = List.of("env", "binary", "rom", "vgarom", "cpu", "memory", "ips");

    /** Reads {@code file}; a malformed file is a {@link ConfigException} naming where and why. */
    public static BochsPlan load(Path file) throws IOException {
        MapNode m = YamlDoc.read(file);
        Set<String> keys = new HashSet<>(BootPlan.keys());
        keys.addAll(List.of("emulator", "kernels", "evidence", "grub", "bochsrc", "untestable"));
        m.allowOnly(keys);
        MapNode em = m.map("emulator").allowOnly(Set.copyOf(EMULATOR));
        for (String k : EMULATOR) {
            em.get(k);
        }
        Map<String, String> emulator = em.strings();
        Map<String, List<String>> kernels = new LinkedHashMap<>();
        MapNode km = m.map("kernels");
        for (String series : km.keys()) {
            kernels.put(series, km.stringList(series));
        }
        BootPlan.Qemu cpu = new BootPlan.Qemu(emulator.get("binary"), "i440fx", emulator.get("cpu"),
                em.integer("memory"));
        m.get("append");
        BootPlan boots = BootPlan.parse(m, Map.of(Arch.X86_64, cpu));
        Map<String, String> untestable = m.has("untestable") ? m.stringMap("untestable") : new LinkedHashMap<>();
        return new BochsPlan(emulator.get("env"), List.of(emulator.get("binary"), emulator.get("rom"),
                emulator.get("vgarom")), kernels, Pattern.compile(Pattern.quote(m.string("evidence"))),
                m.string("grub"), m.string("bochsrc"), emulator, boots, untestable);
    }

    /** True when this kernel (series, arch, profile) gets FRED boots. */
    public boolean boots(String series, Arch arch, Profile profile) {
        return kernels.getOrDefault(series, List.of()).contains(arch.yamlName() + "-" + profile.cliName());
    }

    /** What stands in the way of FRED boots with this environment, or empty when Bochs is there. */
    public Optional<String> unavailable(Map<String, String> environment) {
        String dir = environment.get(env);
        if (dir == null || dir.isBlank()) {
            return Optional.of(env + " is not set: no FRED-capable Bochs (a Bochs built with --enable-fred, "
                    + "see qemu-tests/README.md); the FRED boots are skipped");
        }
        for (String f : files) {
            if (!Files.isRegularFile(Path.of(dir, f))) {
                return Optional.of(env + "=" + dir + " has no " + f + ": the FRED boots are skipped");
            }
        }
        if (!Files.isExecutable(Path.of(dir, files.get(0)))) {
            return Optional.of(env + "=" + dir + ": " + files.get(0) + " is not executable: the FRED boots are "
                    + "skipped");
        }
        return Optional.empty();
    }

    /** Bochs' directory, when {@link #unavailable} is empty. */
    public Path home(Map<String, String> environment) {
        return Path.of(environment.get(env)).toAbsolutePath();
    }

    /** The Bochs binary {@code environment} names, when Bochs is there. */
    public Optional<Path> bochs(Map<String, String> environment) {
        return unavailable(environment).isPresent() ? Optional.empty()
                : Optional.of(home(environment).resolve("bochs"));
    }

    /** The bochsrc of one boot; {@code com1}: {@code HOST:PORT} of the console's host end. */
    public String bochsrc(Path home, Path iso, String com1, Path log) {
        return bochsrc.replace("@HOME@", home.toString()).replace("@ISO@", iso.toString())
                .replace("@COM1@", com1)
                .replace("@LOG@", log.toString()).replace("@ROM@", emulator.get("rom"))
                .replace("@VGAROM@", emulator.get("vgarom")).replace("@CPU@", emulator.get("cpu"))
                .replace("@MEMORY@", emulator.get("memory")).replace("@IPS@", emulator.get("ips"));
    }

    /**
     * The FRED backend of the boot suite: these boots on Bochs in {@code home}, each needing the evidence on its
     * console. With {@code home} null it only reads saved boots back ({@code idtgen report}).
     */
    public Backend backend(Path home) {
        Emulator e = home != null ? new BochsEmulator(this, home) : (j, append, initrd, dir, limits, progress) -> {
            throw new IOException("no Bochs to boot " + j.label() + " with: " + env + " is not set");
        };
        return new Backend(Delivery.FRED, boots, e, List.of(evidence), untestable);
    }

    /** The grub.cfg of one boot. */
    public String grub(String append) {
        return grub.replace("@APPEND@", append);
    }
}
