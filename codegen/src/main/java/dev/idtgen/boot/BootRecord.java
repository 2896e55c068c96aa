package dev.idtgen.boot;

import dev.idtgen.kernel.Variant;
import dev.idtgen.model.Arch;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one boot was and how it ended, saved as {@code boot.yaml} next to its
 * logs, so that the results can be rebuilt from the logs without booting
 * ({@code idtgen report}): the kernel, the job and its place in the job's
 * chain of boots, the programs asked for (or the crash mode), the vCPUs,
 * the exit, a host kill, the times, the injections and each program's CPU
 * and wall time.
 */
public record BootRecord(String kernel, Arch arch, Variant variant, String job, int seq, int attempt, String crash,
                         List<String> programs, int cpus, String cpu, int exitCode, Emulator.Kill kill,
                         double seconds, double cpuSeconds, List<String> injected,
                         Map<String, Emulator.Usage> usage, Path dir) {

    public static final String FILE = "boot.yaml";

    public Path console() {
        return dir.resolve("console.log");
    }

    public Path tests() {
        return dir.resolve("tests.log");
    }

    public List<String> testLines() throws IOException {
        return Files.exists(tests()) ? Files.readAllLines(tests(), StandardCharsets.ISO_8859_1) : List.of();
    }

    public String consoleText() throws IOException {
        return Files.exists(console()) ? Files.readString(console(), StandardCharsets.ISO_8859_1) : "";
    }

    /** The chain a boot belongs to: a job's first boot and the boots that went on after a crash or a kill. */
    public String chain() {
        return kernel + "/" + job + "/" + attempt;
    }

    public void save() throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kernel", kernel);
        m.put("arch", arch.yamlName());
        m.put("variant", variant.cliName());
        m.put("job", job);
        m.put("seq", seq);
        m.put("attempt", attempt);
        if (crash != null) {
            m.put("crash", crash);
        }
        m.put("programs", programs);
        m.put("cpus", cpus);
        m.put("cpu", cpu);
        m.put("exit", exitCode);
        if (kill != null) {
            Map<String, Object> k = new LinkedHashMap<>();
            if (kill.program() != null) {
                k.put("program", kill.program());
            }
            k.put("reason", kill.reason());
            k.put("limit", kill.limit());
            k.put("cpu", kill.cpuSeconds());
            k.put("wall", kill.wallSeconds());
            m.put("kill", k);
        }
        m.put("seconds", round(seconds));
        m.put("cpu_seconds", round(cpuSeconds));
        m.put("injected", injected);
        Map<String, Object> u = new LinkedHashMap<>();
        usage.forEach((p, x) -> u.put(p, List.of(round(x.cpuSeconds()), round(x.wallSeconds()))));
        m.put("usage", u);
        dev.idtgen.io.YamlFiles.write(dir.resolve(FILE), m);
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    @SuppressWarnings("unchecked")
    public static BootRecord load(Path dir) throws IOException {
        Path f = dir.resolve(FILE);
        Map<String, Object> m = (Map<String, Object>) new Load(LoadSettings.builder().setLabel(f.toString()).build())
                .loadFromString(Files.readString(f, StandardCharsets.UTF_8));
        try {
            Emulator.Kill kill = null;
            if (m.get("kill") instanceof Map<?, ?> k) {
                kill = new Emulator.Kill((String) k.get("program"), (String) k.get("reason"), dbl(k.get("limit")),
                        dbl(k.get("cpu")), dbl(k.get("wall")));
            }
            Map<String, Emulator.Usage> usage = new LinkedHashMap<>();
            if (m.get("usage") instanceof Map<?, ?> u) {
                u.forEach((p, v) -> {
                    List<?> l = (List<?>) v;
                    usage.put(String.valueOf(p), new Emulator.Usage(dbl(l.get(0)), dbl(l.get(1))));
                });
            }
            return new BootRecord((String) m.get("kernel"),
                    Arch.fromYaml((String) m.get("arch")).orElseThrow(),
                    Variant.parse((String) m.get("variant")).orElseThrow(), (String) m.get("job"),
                    ((Number) m.get("seq")).intValue(), ((Number) m.get("attempt")).intValue(), (String) m.get("crash"),
                    new ArrayList<>((List<String>) m.get("programs")), ((Number) m.get("cpus")).intValue(),
                    (String) m.get("cpu"), ((Number) m.get("exit")).intValue(), kill, dbl(m.get("seconds")),
                    dbl(m.get("cpu_seconds")), new ArrayList<>((List<String>) m.get("injected")), usage, dir);
        } catch (RuntimeException e) {
            throw new IOException(f + ": not a boot record (" + e + ")", e);
        }
    }

    private static double dbl(Object o) {
        return ((Number) o).doubleValue();
    }
}
