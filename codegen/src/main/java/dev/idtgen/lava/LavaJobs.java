package dev.idtgen.lava;

import dev.idtgen.boot.GuestProtocol;

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
            yaml(out.resolve(qemuJob), qemuJob(id, k.arch(), j, launch.append(), kernelArtifact, initrd, wall,
                    plan.inject(), console));
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
        yaml(out.resolve(boardJob), boardJob(id, boardBoot, b.append(), kernelArtifact, boardInitrd, wall,
                viaQemu ? List.of() : lava.board().fredTags()));
        return boardJob;
    }

    private Map<String, Object> device(BootPlan.Qemu q, Arch arch) {
        Map<String, Object> d = new LinkedHashMap<>();
        Map<String, Object> constants = new LinkedHashMap<>();
        constants.put("kernel-start-message", "Linux version [0-9]");
        // a new_connection boot (the split layout's uart1) reads these
        constants.put("default-shell-prompt", "lava-test: # ");
        constants.put("shutdown-message", "reboot: Restarting system");
        constants.put("spawn_maxread", lava.maxread());
        constants.put("failure_retry", 1);
        constants.put("boot_retry", 1);
        d.put("constants", constants);
        d.put("parameters", Map.of());
        d.put("available_architectures", List.of(arch.yamlName()));
        d.put("timeouts", Map.of("actions", Map.of(), "connections", Map.of()));
        return d;
    }

    /**
     * The QEMU job: the boot's connection is the QEMU monitor (namespace {@code dut}), ttyS1 is read through
     * {@code uart1} (namespace {@code tests}) and the kernel console through its own connection
     * ({@link #CONSOLE_NAMESPACE}). Each injection request (a program's, or the crash's) is a monitor that ends on
     * it, an interactive test that sends {@code inject}'s command on the QEMU monitor, and a monitor that reads on
     * from there. A job with a console check ends with a monitor on the console that stops once QEMU exited.
     * LAVA's tests read the connection the last action gave: a new_connection boot with
     * {@code connection-namespace} selects the one each test reads.
     */
    private Map<String, Object> qemuJob(String id, Arch arch, BootJob j, String append, Path kernel,
                                        Path initrd, long wall, Map<String, String> inject, ConsoleCheck console)
            throws IOException {
        Map<String, Object> job = header("qemu", "idtgen " + id, wall);
        job.put("context", Map.of("arch", arch.yamlName()));
        Map<String, Object> kernelImage = new LinkedHashMap<>();
        kernelImage.put("url", url(kernel));
        kernelImage.put("image_arg", "-accel " + j.accel() + " -cpu " + j.cpu() + " -smp " + j.cpus()
                + " -kernel {kernel} -append \"" + append + "\"");
        kernelImage.put("sha256sum", sha256(kernel));
        Map<String, Object> ramdisk = new LinkedHashMap<>();
        ramdisk.put("url", url(initrd));
        ramdisk.put("image_arg", "-initrd {ramdisk}");
        ramdisk.put("sha256sum", sha256(initrd));
        Map<String, Object> images = new LinkedHashMap<>();
        images.put("kernel", kernelImage);
        images.put("ramdisk", ramdisk);
        Map<String, Object> deploy = new LinkedHashMap<>();
        deploy.put("namespace", "dut");
        deploy.put("to", "tmpfs");
        deploy.put("timeout", Map.of("minutes", 2));
        deploy.put("images", images);
        Map<String, Object> boot = new LinkedHashMap<>();
        boot.put("namespace", "dut");
        boot.put("method", "qemu");
        boot.put("media", "tmpfs");
        boot.put("timeout", Map.of("seconds", (long) lava.silence()));
        String tests = lava.board().connection();
        String con = lava.console().connection();
        // QEMU waits for the test stream's client, then for the console's (lava.yaml: qemu_options)
        List<Map<String, Object>> actions = new ArrayList<>(List.of(Map.of("deploy", deploy), Map.of("boot", boot),
                Map.of("boot", connection("tests", tests, null)),
                Map.of("boot", connection(CONSOLE_NAMESPACE, con, null)),
                Map.of("boot", connection("tests", tests, "tests"))));
        List<Map<String, Object>> monitors = new ArrayList<>();
        List<String> units = new ArrayList<>(j.programs());
        if (j.crash() != null) {
            units.add(j.crash().mode());
        }
        for (String unit : units) {
            boolean program = j.programs().contains(unit);
            String start = program ? GuestProtocol.begin(unit) : GuestProtocol.crash(unit);
            String name = program ? unit : unit + "-request";
            for (String request : lava.requests(unit)) {
                String command = inject.get(request);
                if (command == null) {
                    throw new IOException(LavaPlan.FILE + ": " + unit + " asks for '" + request
                            + "', which boots.yaml's inject does not define");
                }
                monitors.add(monitor(name, start, GuestProtocol.inject(request)));
                actions.add(Map.of("test", monitors(monitors, wall, "tests")));
                monitors = new ArrayList<>();
                actions.add(Map.of("boot", connection("dut", tests, "dut")));
                Map<String, Object> step = new LinkedHashMap<>();
                step.put("name", request);
                step.put("command", command);
                Map<String, Object> interactive = new LinkedHashMap<>();
                interactive.put("name", "inject-" + request);
                interactive.put("prompts", List.of("\\(qemu\\) "));
                interactive.put("script", List.of(step));
                Map<String, Object> send = new LinkedHashMap<>();
                send.put("namespace", "dut");
                send.put("timeout", Map.of("seconds", 60));
                send.put("interactive", List.of(interactive));
                actions.add(Map.of("test", send));
                actions.add(Map.of("boot", connection("tests", tests, "tests")));
                start = ""; // matches at once: reads on where the monitor before stopped
            }
            if (program) {
                monitors.add(monitor(unit, start, lava.end().replace("{program}", unit)));
            }
        }
        if (!monitors.isEmpty()) {
            actions.add(Map.of("test", monitors(monitors, wall, "tests")));
        }
        if (console != null) {
            actions.add(Map.of("boot", connection(CONSOLE_NAMESPACE, con, CONSOLE_NAMESPACE)));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", console.suite());
            m.put("start", "");
            m.put("end", ConsoleCheck.literal(lava.console().end()));
            m.put("pattern", console.pattern());
            m.put("fixupdict", Map.of("", "pass"));
            actions.add(Map.of("test", monitors(List.of(m), wall, CONSOLE_NAMESPACE)));
        }
        job.put("actions", actions);
        return job;
    }

    /** A new_connection boot: {@code connection} in {@code namespace} (back to {@code of}'s, when given). */
    private Map<String, Object> connection(String namespace, String connection, String of) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("namespace", namespace);
        b.put("method", "new_connection");
        b.put("connection", connection);
        if (of != null) {
            b.put("connection-namespace", of);
        }
        b.put("timeout", Map.of("seconds", (long) lava.silence()));
        return b;
    }

    /**
     * A job's QEMU device: boots.yaml's machine and memory and lava.yaml's options (the QEMU monitor on stdio,
     * the boot's connection; the kernel console and ttyS1 on UNIX sockets under {@code sockets/ID/}, which the
     * console's connection and {@code uart1} connect to).
     */
    private Map<String, Object> splitDevice(BootPlan.Qemu q, Arch arch, String id) throws IOException {
        Path dir = out.resolve("sockets").resolve(id);
        Files.createDirectories(dir);
        Path ttyS0 = dir.resolve("ttyS0.sock");
        Path ttyS1 = dir.resolve("ttyS1.sock");
        Map<String, Object> d = device(q, arch);
        List<String> options = new ArrayList<>(List.of("-M " + q.machine(), "-m " + q.memoryMb() + "M"));
        for (String o : lava.qemuOptions()) {
            options.add(o.replace("{ttyS0}", ttyS0.toString()).replace("{ttyS1}", ttyS1.toString()));
        }
        d.put("actions", Map.of(
                "deploy", Map.of("connections", Map.of("serial", Map.of()),
                        "methods", Map.of("image", Map.of("parameters", Map.of()))),
                "boot", Map.of("connections", Map.of("serial", Map.of()),
                        "methods", Map.of("qemu", Map.of("parameters", Map.of("command", q.binary(),
                                "options", options))))));
        LavaPlan.Console c = lava.console();
        Map<String, Object> connections = new LinkedHashMap<>();
        connections.put(lava.board().connection(), Map.of("connect", command(lava.connect() + " " + ttyS1),
                "tags", List.of(lava.board().connection())));
        connections.put(c.connection(), Map.of("connect", command(c.connect().replace("{log}",
                        dir.resolve("console.log").toString()).replace("{exited}", c.exited())
                        .replace("{end}", c.end()).replace("{socket}", ttyS0.toString())),
                "tags", List.of(c.connection())));
        d.put("commands", Map.of("connections", connections));
        return d;
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

    /**
     * A board job: {@code tags} select a board that can run it (a FRED CPU); the device type's template adds the
     * console argument, and the arguments only an emulator needs ({@code board.drop_args}) are dropped.
     */
    private Map<String, Object> boardJob(String id, BootJob j, String append, Path kernel, Path initrd,
                                         long wall, List<String> tags) throws IOException {
        LavaPlan.Board b = lava.board();
        Map<String, Object> job = header(b.deviceType(), "idtgen " + id + " (" + b.deviceType() + " board)", wall);
        if (!tags.isEmpty()) {
            job.put("tags", tags);
        }
        List<String> args = new ArrayList<>();
        for (String arg : append.split(" ")) {
            if (!arg.isEmpty() && !arg.startsWith("console=") && !b.dropArgs().contains(arg)) {
                args.add(arg);
            }
        }
        job.put("context", Map.of("extra_kernel_args", String.join(" ", args)));
        Map<String, Object> deploy = new LinkedHashMap<>();
        deploy.put("namespace", "dut");
        deploy.put("to", "tftp");
        deploy.put("timeout", Map.of("minutes", 5));
        deploy.put("kernel", Map.of("url", url(kernel), "type", "image", "sha256sum", sha256(kernel)));
        deploy.put("ramdisk", Map.of("url", url(initrd), "sha256sum", sha256(initrd)));
        Map<String, Object> boot = new LinkedHashMap<>();
        boot.put("namespace", "dut");
        boot.put("method", b.method());
        boot.put("commands", b.commands());
        boot.put("timeout", Map.of("minutes", 5));
        Map<String, Object> tests = new LinkedHashMap<>();
        tests.put("namespace", "tests");
        tests.put("method", "new_connection");
        tests.put("connection", b.connection());
        tests.put("timeout", Map.of("seconds", (long) lava.silence()));
        job.put("actions", List.of(Map.of("deploy", deploy), Map.of("boot", boot), Map.of("boot", tests),
                Map.of("test", test(j, wall, "tests"))));
        return job;
    }

    private Map<String, Object> header(String deviceType, String name, long wall) {
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("device_type", deviceType);
        job.put("job_name", name);
        job.put("visibility", "public");
        job.put("priority", "medium");
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("job", Map.of("seconds", wall + 600));
        t.put("action", Map.of("seconds", wall));
        t.put("connection", Map.of("seconds", (long) lava.silence()));
        job.put("timeouts", t);
        return job;
    }

    /** One monitor per program, in the order /init runs them. */
    private Map<String, Object> test(BootJob j, long wall, String namespace) {
        List<Map<String, Object>> monitors = new ArrayList<>();
        for (String p : j.programs()) {
            monitors.add(monitor(p, GuestProtocol.begin(p), lava.end().replace("{program}", p)));
        }
        return monitors(monitors, wall, namespace);
    }

    private Map<String, Object> monitor(String program, String start, String end) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", program);
        m.put("start", start);
        m.put("end", end);
        m.put("pattern", lava.pattern());
        m.put("fixupdict", lava.fixupdict());
        return m;
    }

    private static Map<String, Object> monitors(List<Map<String, Object>> monitors, long wall, String namespace) {
        Map<String, Object> test = new LinkedHashMap<>();
        if (namespace != null) {
            test.put("namespace", namespace);
        }
        test.put("timeout", Map.of("seconds", wall));
        test.put("monitors", monitors);
        return test;
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
