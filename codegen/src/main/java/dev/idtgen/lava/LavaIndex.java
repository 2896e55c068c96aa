package dev.idtgen.lava;

import dev.idtgen.config.ConfigException;
import dev.idtgen.config.ConfigNode;
import dev.idtgen.config.MapNode;
import dev.idtgen.config.YamlDoc;
import dev.idtgen.io.YamlFiles;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The index of the LAVA jobs written to a directory ({@link #INDEX}): one entry per job with its files, its kernel
 * and boot, its programs and what it left out; {@code lava run} and {@code lava results} read it back. Jobs of
 * several kernel series share a directory: writing one series keeps the others' entries.
 */
public final class LavaIndex {

    /** The index of what was written, relative to the output directory. */
    public static final String INDEX = "jobs.yaml";

    /**
     * One written job: its files, its kernel and boot, the programs of its QEMU job and of its board job, what its
     * QEMU job's console monitor judges (null: nothing), and what it left out and why.
     */
    public record Written(String id, String qemuJob, String boardJob, String device, String kernel, String arch,
                          String profile, String variant, String delivery, String boot, List<String> programs,
                          List<String> boardPrograms, ConsoleCheck console, Map<String, String> leftOut) {

        /** The programs of the QEMU job ({@code board} false) or of the board job. */
        public List<String> programs(boolean board) {
            return board ? boardPrograms : programs;
        }
    }

    private LavaIndex() {
    }

    /** Writes {@code written} as series {@code kernel}'s entries of the index in {@code out}. */
    static void write(Path out, String kernel, List<Written> written, PrintWriter progress) throws IOException {
        List<Written> all = new ArrayList<>();
        if (Files.isRegularFile(out.resolve(INDEX))) {
            try {
                readIndex(out).stream().filter(w -> !w.kernel().equals(kernel)).forEach(all::add);
            } catch (IOException e) {
                progress.println("lava: " + e.getMessage() + ": replaced; its other kernel series' jobs are no longer "
                        + "indexed: write them again");
            }
        }
        all.addAll(written);
        List<Map<String, Object>> data = new ArrayList<>();
        for (Written w : all) {
            data.add(toYaml(w));
        }
        YamlFiles.writeBlock(out.resolve(INDEX), data, 1000);
    }

    private static Map<String, Object> toYaml(Written w) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", w.id());
        m.put("qemu_job", w.qemuJob());
        m.put("board_job", w.boardJob());
        m.put("device", w.device());
        m.put("kernel", w.kernel());
        m.put("arch", w.arch());
        m.put("profile", w.profile());
        m.put("variant", w.variant());
        m.put("delivery", w.delivery());
        m.put("boot", w.boot());
        m.put("programs", w.programs());
        m.put("board_programs", w.boardPrograms());
        if (w.console() != null) {
            m.put("console", w.console().toYaml());
        }
        m.put("left_out", w.leftOut());
        return m;
    }

    /** The kernel's directory under {@code out} (its kernel.yaml: what it has compiled in). */
    public static String kernelId(Written w) {
        return kernelId(w.kernel(), w.arch(), w.profile(), w.variant(), w.delivery());
    }

    /** SERIES-ARCH-PROFILE-VARIANT[-DELIVERY]: a kernel's directory under {@code kernels/} and its jobs' prefix. */
    public static String kernelId(String kernel, String arch, String profile, String variant, String delivery) {
        return kernel + "-" + arch + "-" + profile + "-" + variant + (delivery.equals("idt") ? "" : "-" + delivery);
    }

    /** The index {@link LavaJobs#write} left in {@code out}. */
    public static List<Written> readIndex(Path out) throws IOException {
        Path f = out.resolve(INDEX);
        if (!Files.isRegularFile(f)) {
            throw new IOException(f + ": no LAVA jobs here (write them with `idtgen lava --out " + out + "`)");
        }
        List<Written> index = new ArrayList<>();
        try {
            for (ConfigNode n : YamlDoc.readAny(f).asList().items()) {
                MapNode m = n.asMap();
                index.add(new Written(m.string("id"), m.string("qemu_job"), m.string("board_job"), m.string("device"),
                        m.string("kernel"), m.string("arch"), m.string("profile"), m.string("variant"),
                        m.string("delivery"), m.string("boot"), List.copyOf(m.stringList("programs")),
                        List.copyOf(m.stringList("board_programs")),
                        m.has("console") ? ConsoleCheck.fromYaml(m.map("console")) : null, m.stringMap("left_out")));
            }
        } catch (ConfigException e) {
            throw new IOException(e.getMessage() + ": not an index of LAVA jobs as this idtgen writes them", e);
        }
        return index;
    }

}
