package dev.idtgen.lava;

import dev.idtgen.model.Arch;
import dev.idtgen.boot.BootPlan;
import dev.idtgen.boot.BootPipeline;
import dev.idtgen.boot.BootKernel;
import dev.idtgen.boot.BootJob;
import dev.idtgen.boot.BootRunner;
import dev.idtgen.boot.Judge;
import dev.idtgen.boot.Delivery;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes LAVA job definitions for the boots of {@code ./idtgen run}: per
 * kernel and boot, a job for a QEMU device ({@code qemu/}) and one for a
 * real x86 board ({@code board/}), each QEMU job's device dictionary
 * ({@code devices/}, with its sockets under {@code sockets/}), the dispatcher configuration, the artifacts (kernel
 * and initramfs, under {@code artifacts/}) and {@code jobs.yaml}, the index
 * that maps each job back to its kernel and programs. What LAVA cannot
 * express (qemu-tests/lava.yaml, {@code cannot}) is left out of the jobs and
 * listed in the index with why.
 */
public final class LavaJobs {

    public static final String DISPATCHER = "dispatcher.yaml";

    /** The namespace of a QEMU job's console connection (its results' {@code lava-test-monitor} says it). */
    public static final String CONSOLE_NAMESPACE = "console";

    private final LavaPlan lava;
    private final JobDefinitions definitions;
    private final BootPipeline suite;
    private final Path out;
    private final String artifactsUrl;
    private final java.io.PrintWriter progress;

    /**
     * {@code artifactsUrl}: the base URL the artifacts will be served from; null: {@code file://} URLs here.
     * {@code progress} hears what happened to an index it could not keep.
     */
    public LavaJobs(LavaPlan lava, BootPipeline suite, Path out, String artifactsUrl, java.io.PrintWriter progress) {
        this.progress = progress;
        this.lava = lava;
        this.definitions = new JobDefinitions(lava);
        this.suite = suite;
        this.out = out.toAbsolutePath();
        this.artifactsUrl = artifactsUrl == null ? null : artifactsUrl.replaceAll("/+$", "");
    }

    /**
     * Writes the jobs of every boot of {@code kernels} of series {@code kernel}; returns their entries. The
     * index ({@link #INDEX}) keeps the entries of other series already written to the same directory.
     */
    public List<LavaIndex.Written> write(String kernel, List<BootKernel> kernels) throws IOException, InterruptedException {
        Files.createDirectories(out.resolve("qemu"));
        Files.createDirectories(out.resolve("board"));
        Files.createDirectories(out.resolve("devices"));
        yaml(out.resolve(DISPATCHER), lava.dispatcher());
        List<LavaIndex.Written> index = new ArrayList<>();
        for (BootKernel k : kernels) {
            String kid = LavaIndex.kernelId(kernel, k.arch().yamlName(), k.profile().cliName(), k.variant().cliName(),
                    k.delivery().cliName());
            Path kernelArtifact = artifact(k.bzImage(), "artifacts/" + kid + "/bzImage");
            for (BootJob j : suite.planner().allJobs(k)) {
                index.add(boot(kernel, kid, kernelArtifact, j));
            }
        }
        LavaIndex.write(out, kernel, index, progress);
        return index;
    }

    /**
     * The jobs of one boot of a kernel: a QEMU job (not for a FRED kernel: QEMU has no FRED CPU) and a board job
     * (without the programs that need an injection), and what each leaves out and why.
     */
    private LavaIndex.Written boot(String series, String kid, Path kernelArtifact, BootJob j) throws IOException,
            InterruptedException {
        BootKernel k = j.kernel();
        boolean viaQemu = k.delivery() == Delivery.IDT;
        Map<String, String> leftOut = new LinkedHashMap<>();
        String exited = lava.console().exited();
        ConsoleCheck console = !viaQemu ? null : j.crash() != null ? ConsoleCheck.crash(j.crash(), exited)
                : j.cpus() >= 2 ? ConsoleCheck.shutdown(j.name(), exited) : null;
        if (!viaQemu) {
            leftOut.put(j.name() + " (QEMU job)", lava.cannot().get("fred"));
        }
        if (j.crash() != null) {
            leftOut.put(j.crash().mode() + " (board job)", lava.cannot().get("crash"));
        } else if (j.cpus() >= 2) {
            leftOut.put(Judge.CLEAN_SHUTDOWN + " (board job)", lava.cannot().get("shutdown"));
        }
        List<String> programs = List.copyOf(j.programs());
        List<String> onBoard = new ArrayList<>();
        for (String p : programs) {
            if (lava.requests(p).isEmpty()) {
                onBoard.add(p);
            } else {
                leftOut.put(p + " (board job)", lava.cannot().get("inject"));
            }
        }
        String id = kid + "-" + j.name();
        BootPlan plan = suite.planner().plan(k);
        long wall = (long) Math.ceil(j.budget() * plan.limits().margin() * lava.wall() + lava.slack());
        String qemuJob = "";
        String qemuDevice = "";
        if (viaQemu) {
            BootRunner.Launch launch = suite.runner().launch(j);
            Path initrd = artifact(launch.initrd(), "artifacts/" + kid + "/" + launch.initrd().getFileName());
            qemuJob = "qemu/" + id + ".yaml";
            qemuDevice = "devices/qemu-" + id + ".yaml";
            yaml(out.resolve(qemuDevice), splitDevice(plan.qemu().get(k.arch()), k.arch(), id));
            yaml(out.resolve(qemuJob), definitions.qemuJob(id, k.arch(), j, launch.append(), served(kernelArtifact),
                    served(initrd), wall, plan.inject(), console));
        }
        String boardJob = onBoard.isEmpty() ? "" : boardJob(id, kid, kernelArtifact, j, onBoard, wall, viaQemu);
        return new LavaIndex.Written(id, qemuJob, boardJob, qemuDevice, series, k.arch().yamlName(),
                k.profile().cliName(), k.variant().cliName(), k.delivery().cliName(), j.name(),
                viaQemu ? programs : List.of(), boardJob.isEmpty() ? List.of() : List.copyOf(onBoard), console,
                leftOut);
    }

    /** Writes the board job of a boot's {@code onBoard} programs; returns its path under {@code out}. */
    private String boardJob(String id, String kid, Path kernelArtifact, BootJob j, List<String> onBoard, long wall,
                            boolean viaQemu) throws IOException, InterruptedException {
        BootJob boardBoot = new BootJob(j.kernel(), j.name(), null, onBoard, j.cpus(), j.cpu(), 0, j.budget(),
                j.accel());
        BootRunner.Launch b = suite.runner().launch(boardBoot);
        Path boardInitrd = artifact(b.initrd(), "artifacts/" + kid + "/" + b.initrd().getFileName());
        String boardJob = "board/" + id + ".yaml";
        yaml(out.resolve(boardJob), definitions.boardJob(id, boardBoot, b.append(), served(kernelArtifact),
                served(boardInitrd), wall, viaQemu ? List.of() : lava.board().fredTags()));
        return boardJob;
    }

    /**
     * A job's QEMU device dictionary, with the kernel console's and ttyS1's UNIX sockets under
     * {@code sockets/ID/}, which the console's connection and {@code uart1} connect to.
     */
    private Map<String, Object> splitDevice(BootPlan.Qemu q, Arch arch, String id) throws IOException {
        Path dir = out.resolve("sockets").resolve(id);
        Files.createDirectories(dir);
        Path ttyS0 = dir.resolve("ttyS0.sock");
        Path ttyS1 = dir.resolve("ttyS1.sock");
        LavaPlan.Console c = lava.console();
        String testsConnect = command(lava.connect() + " " + ttyS1);
        String consoleConnect = command(c.connect().replace("{log}", dir.resolve("console.log").toString())
                .replace("{exited}", c.exited()).replace("{end}", c.end()).replace("{socket}", ttyS0.toString()));
        return definitions.qemuDevice(q, arch, ttyS0, ttyS1, testsConnect, consoleConnect);
    }

    /** A connection's command: a word that is a relative path of the project's is its copy next to the jobs. */
    private String command(String command) throws IOException {
        List<String> words = new ArrayList<>();
        for (String word : command.split(" ")) {
            Path f = suite.project().resolve(word);
            words.add(!word.isEmpty() && !Path.of(word).isAbsolute() && word.contains("/") && Files.isRegularFile(f)
                    ? artifact(f, "tools/" + f.getFileName()).toString() : word);
        }
        return String.join(" ", words);
    }

    private Path artifact(Path from, String rel) throws IOException {
        Path to = out.resolve(rel);
        Files.createDirectories(to.getParent());
        if (!Files.exists(to) || Files.mismatch(from, to) != -1) {
            Path tmp = to.resolveSibling(to.getFileName() + ".tmp");
            Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING);
            dev.idtgen.io.AtomicFiles.move(tmp, to);
        }
        return to;
    }

    /** An artifact as a job names it. */
    private JobDefinitions.Served served(Path artifact) throws IOException {
        return new JobDefinitions.Served(url(artifact), sha256(artifact));
    }

    private String url(Path artifact) {
        return artifactsUrl == null ? artifact.toUri().toString()
                : artifactsUrl + "/" + out.relativize(artifact).toString().replace('\\', '/');
    }

    private static String sha256(Path f) throws IOException {
        return dev.idtgen.io.Digests.sha256(f);
    }

    private static void yaml(Path f, Object data) throws IOException {
        String text = new Dump(DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).setWidth(1000)
                .setDereferenceAliases(true).build()).dumpToString(data);
        if (Files.exists(f) && Files.readString(f, StandardCharsets.UTF_8).equals(text)) {
            return;
        }
        dev.idtgen.io.AtomicFiles.write(f, text);
    }
}
