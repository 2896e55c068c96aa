package dev.idtgen.lava;

import dev.idtgen.boot.BootJob;
import dev.idtgen.boot.BootPlan;
import dev.idtgen.boot.GuestProtocol;
import dev.idtgen.model.Arch;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.idtgen.lava.LavaJobs.CONSOLE_NAMESPACE;

/**
 * The data of the LAVA job definitions and QEMU device dictionaries {@link LavaJobs} writes, as it goes into
 * their YAML: a QEMU job, its device dictionary and a board job, built of job headers, new_connection boots and
 * test monitors, as {@code qemu-tests/lava.yaml} ({@link LavaPlan}) says. Artifacts come as they are served
 * ({@link Served}); copying them and writing the files is {@link LavaJobs}'s.
 */
final class JobDefinitions {

    /** An artifact as a job names it: the URL it is served from and its digest. */
    record Served(String url, String sha256) {
    }

    private final LavaPlan lava;

    JobDefinitions(LavaPlan lava) {
        this.lava = lava;
    }

    /**
     * The QEMU job: the boot's connection is the QEMU monitor (namespace {@code dut}), ttyS1 is read through
     * {@code uart1} (namespace {@code tests}) and the kernel console through its own connection
     * ({@link LavaJobs#CONSOLE_NAMESPACE}). Each injection request (a program's, or the crash's) is a monitor that
     * ends on it, an interactive test that sends {@code inject}'s command on the QEMU monitor, and a monitor that
     * reads on from there. A job with a console check ends with a monitor on the console that stops once QEMU
     * exited. LAVA's tests read the connection the last action gave: a new_connection boot with
     * {@code connection-namespace} selects the one each test reads.
     */
    Map<String, Object> qemuJob(String id, Arch arch, BootJob j, String append, Served kernel, Served initrd,
                                long wall, Map<String, String> inject, ConsoleCheck console) throws IOException {
        Map<String, Object> job = header("qemu", "idtgen " + id, wall);
        job.put("context", Map.of("arch", arch.yamlName()));
        String tests = lava.board().connection();
        String con = lava.console().connection();
        // QEMU waits for the test stream's client, then for the console's (lava.yaml: qemu_options)
        List<Map<String, Object>> actions = new ArrayList<>(List.of(
                Map.of("deploy", qemuDeploy(j, append, kernel, initrd)), Map.of("boot", qemuBoot()),
                Map.of("boot", connection("tests", tests, null)),
                Map.of("boot", connection(CONSOLE_NAMESPACE, con, null)),
                Map.of("boot", connection("tests", tests, "tests"))));
        addUnitTests(actions, j, wall, inject);
        if (console != null) {
            actions.add(Map.of("boot", connection(CONSOLE_NAMESPACE, con, CONSOLE_NAMESPACE)));
            actions.add(Map.of("test", monitors(List.of(consoleMonitor(console)), wall, CONSOLE_NAMESPACE)));
        }
        job.put("actions", actions);
        return job;
    }

    /** The QEMU job's deploy action: the kernel (with QEMU's arguments) and the initramfs, to tmpfs. */
    private static Map<String, Object> qemuDeploy(BootJob j, String append, Served kernel, Served initrd) {
        Map<String, Object> kernelImage = new LinkedHashMap<>();
        kernelImage.put("url", kernel.url());
        kernelImage.put("image_arg", "-accel " + j.accel() + " -cpu " + j.cpu() + " -smp " + j.cpus()
                + " -kernel {kernel} -append \"" + append + "\"");
        kernelImage.put("sha256sum", kernel.sha256());
        Map<String, Object> ramdisk = new LinkedHashMap<>();
        ramdisk.put("url", initrd.url());
        ramdisk.put("image_arg", "-initrd {ramdisk}");
        ramdisk.put("sha256sum", initrd.sha256());
        Map<String, Object> images = new LinkedHashMap<>();
        images.put("kernel", kernelImage);
        images.put("ramdisk", ramdisk);
        Map<String, Object> deploy = new LinkedHashMap<>();
        deploy.put("namespace", "dut");
        deploy.put("to", "tmpfs");
        deploy.put("timeout", Map.of("minutes", 2));
        deploy.put("images", images);
        return deploy;
    }

    /** The QEMU job's boot action: QEMU itself, its monitor the connection of namespace {@code dut}. */
    private Map<String, Object> qemuBoot() {
        Map<String, Object> boot = new LinkedHashMap<>();
        boot.put("namespace", "dut");
        boot.put("method", "qemu");
        boot.put("media", "tmpfs");
        boot.put("timeout", Map.of("seconds", (long) lava.silence()));
        return boot;
    }

    /**
     * The tests of a QEMU job's programs and crash, in the order /init runs them, added to {@code actions}: the
     * monitors of the programs, each injection request cutting them into a test before it and one after.
     */
    private void addUnitTests(List<Map<String, Object>> actions, BootJob j, long wall, Map<String, String> inject)
            throws IOException {
        String tests = lava.board().connection();
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
                actions.add(Map.of("test", injection(request, command)));
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
    }

    /** An interactive test that sends injection request {@code request}'s {@code command} on the QEMU monitor. */
    private static Map<String, Object> injection(String request, String command) {
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
        return send;
    }

    /** The monitor of a console check: it reads the console until QEMU exited. */
    private Map<String, Object> consoleMonitor(ConsoleCheck console) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", console.suite());
        m.put("start", "");
        m.put("end", ConsoleCheck.literal(lava.console().end()));
        m.put("pattern", console.pattern());
        m.put("fixupdict", Map.of("", "pass"));
        return m;
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
     * the boot's connection; the kernel console and ttyS1 on the UNIX sockets {@code ttyS0} and {@code ttyS1},
     * which the console's connection ({@code consoleConnect}) and {@code uart1} ({@code testsConnect}) connect to).
     */
    Map<String, Object> qemuDevice(BootPlan.Qemu q, Arch arch, Path ttyS0, Path ttyS1, String testsConnect,
                                   String consoleConnect) {
        Map<String, Object> d = device(arch);
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
        Map<String, Object> connections = new LinkedHashMap<>();
        connections.put(lava.board().connection(), Map.of("connect", testsConnect,
                "tags", List.of(lava.board().connection())));
        connections.put(lava.console().connection(), Map.of("connect", consoleConnect,
                "tags", List.of(lava.console().connection())));
        d.put("commands", Map.of("connections", connections));
        return d;
    }

    /** What every device dictionary says: the kernel's messages, the retries and the architecture. */
    private Map<String, Object> device(Arch arch) {
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
     * A board job: {@code tags} select a board that can run it (a FRED CPU); the device type's template adds the
     * console argument, and the arguments only an emulator needs ({@code board.drop_args}) are dropped.
     */
    Map<String, Object> boardJob(String id, BootJob j, String append, Served kernel, Served initrd, long wall,
                                 List<String> tags) {
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
        deploy.put("kernel", Map.of("url", kernel.url(), "type", "image", "sha256sum", kernel.sha256()));
        deploy.put("ramdisk", Map.of("url", initrd.url(), "sha256sum", initrd.sha256()));
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
}
