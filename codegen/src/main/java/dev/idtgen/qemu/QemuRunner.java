package dev.idtgen.qemu;

import dev.idtgen.boot.BootPlan;
import dev.idtgen.boot.Emulator.Boot;
import dev.idtgen.boot.GuestProtocol;
import dev.idtgen.boot.GuestWatch;
import dev.idtgen.change.InterruptLog;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Boots a kernel in QEMU (TCG): the console (ttyS0) goes to one file, the
 * guest's test stream (ttyS1) to another; the human monitor on a unix socket
 * injects what the guest asks for ({@code # idtgen: inject X} on ttyS1). The
 * guest ends the VM itself (-no-reboot).
 *
 * <p>Hang detection, never a verdict: {@link GuestWatch}.
 */
public final class QemuRunner {

    /** What to boot. {@code limit} gives a program's limit in emulator CPU seconds. */
    public record Options(BootPlan.Qemu qemu, String accel, String cpu, int cpus, java.nio.file.Path kernel, Path initrd,
                          String append, Path dir, Map<String, String> inject, ToDoubleFunction<String> limit,
                          double otherLimit, double idleSeconds) {
    }

    private QemuRunner() {
    }

    /**
     * The QEMU command line of a boot: its console, test stream and monitor, and {@code -d int} logging every
     * exception and interrupt QEMU delivers to {@code interrupts} ({@link InterruptLog}).
     */
    public static List<String> command(Options o, Path console, Path tests, Path sock, Path interrupts) {
        return List.of(o.qemu().binary(), "-M", o.qemu().machine(), "-accel", o.accel(), "-cpu", o.cpu(), "-smp",
                Integer.toString(o.cpus()), "-m", o.qemu().memoryMb() + "M", "-display", "none", "-no-reboot",
                "-nodefaults", "-kernel", o.kernel().toString(), "-initrd", o.initrd().toString(), "-append",
                o.append(), "-serial", "file:" + console, "-serial", "file:" + tests, "-monitor",
                "unix:" + sock + ",server,nowait", "-d", "int", "-D", interrupts.toString());
    }

    public static Boot boot(Options o, PrintWriter progress) throws IOException, InterruptedException {
        Files.createDirectories(o.dir());
        Path console = o.dir().resolve("console.log");
        Path tests = o.dir().resolve("tests.log");
        Path sock = o.dir().resolve("monitor.sock");
        Path qlog = o.dir().resolve("qemu.log");
        Path interrupts = o.dir().resolve(InterruptLog.FILE);
        for (Path p : List.of(console, tests, sock, interrupts, o.dir().resolve(InterruptLog.REDUCED))) {
            Files.deleteIfExists(p);
        }
        List<String> cmd = command(o, console, tests, sock, interrupts);
        Files.writeString(o.dir().resolve("qemu.cmd"), String.join(" ", cmd) + "\n", StandardCharsets.UTF_8);
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(qlog.toFile()).start();
        List<String> injected = new ArrayList<>();
        QemuMonitor[] mon = {null};
        GuestWatch.Watched w;
        try {
            w = GuestWatch.watch(p, t0, tests, new GuestWatch.Limits(o.limit(), o.otherLimit(), o.idleSeconds()),
                    line -> {
                        if (!(GuestProtocol.parse(line).orElse(null) instanceof GuestProtocol.Inject i)) {
                            return;
                        }
                        String what = i.request();
                        String command = o.inject().get(what);
                        if (command == null) {
                            injected.add(what + ": unknown request, nothing injected");
                            return;
                        }
                        if (mon[0] == null) {
                            mon[0] = QemuMonitor.connect(sock);
                        }
                        String reply = mon[0].command(command);
                        injected.add(what + ": " + command + (reply.isEmpty() ? "" : " -> " + reply));
                        if (progress != null) {
                            synchronized (progress) {
                                progress.println("  qemu: injected " + what + " (" + command + ")");
                                progress.flush();
                            }
                        }
                    }, null);
        } finally {
            if (mon[0] != null) {
                mon[0].close();
            }
        }
        Files.deleteIfExists(sock);
        double seconds = (System.nanoTime() - t0) / 1e9;
        // QEMU's log (one event and a register dump per exception or interrupt) is large: only its reduction stays
        InterruptLog.reduce(interrupts, o.dir());
        return new Boot(console, tests, w.kill() != null ? -1 : p.exitValue(), w.kill(), seconds,
                w.cpuSeconds(), injected, w.usage());
    }
}
