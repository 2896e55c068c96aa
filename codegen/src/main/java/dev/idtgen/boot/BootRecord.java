package dev.idtgen.boot;

import dev.idtgen.kernel.Variant;
import dev.idtgen.model.Arch;
import dev.idtgen.config.ConfigNode;
import dev.idtgen.config.MapNode;
import dev.idtgen.config.YamlDoc;

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

    /** The record {@link #save} left in {@code dir}; a file that is not one is a {@code file:line:column} error. */
    public static BootRecord load(Path dir) throws IOException {
        MapNode m = YamlDoc.read(dir.resolve(FILE));
        Emulator.Kill kill = null;
        if (m.has("kill")) {
            MapNode k = m.map("kill");
            kill = new Emulator.Kill(k.optionalString("program").orElse(null), k.string("reason"), k.number("limit"),
                    k.number("cpu"), k.number("wall"));
        }
        Map<String, Emulator.Usage> usage = new LinkedHashMap<>();
        if (m.has("usage")) {
            for (var e : m.map("usage").values().entrySet()) {
                List<ConfigNode> l = e.getValue().asList().items();
                if (l.size() != 2) {
                    throw e.getValue().bad("usage of " + e.getKey() + " is [cpu, wall]");
                }
                usage.put(e.getKey(), new Emulator.Usage(l.get(0).asNumber(), l.get(1).asNumber()));
            }
        }
        ConfigNode arch = m.get("arch");
        ConfigNode variant = m.get("variant");
        return new BootRecord(m.string("kernel"), Arch.fromYaml(arch.asString()).orElseThrow(() ->
                arch.bad("not an arch")), Variant.parse(variant.asString()).orElseThrow(() ->
                variant.bad("not a variant")), m.string("job"), m.integer("seq"), m.integer("attempt"),
                m.optionalString("crash").orElse(null), new ArrayList<>(m.stringList("programs")), m.integer("cpus"),
                m.string("cpu"), m.integer("exit"), kill, m.number("seconds"), m.number("cpu_seconds"),
                new ArrayList<>(m.stringList("injected")), usage, dir);
    }
}
