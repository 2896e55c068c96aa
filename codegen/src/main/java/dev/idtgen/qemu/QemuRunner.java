package dev.idtgen.qemu;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Boots a kernel in QEMU (TCG): the console (ttyS0) goes to one file, the
 * guest's test stream (ttyS1) to another; the human monitor on a unix socket
 * injects what the guest asks for ({@code # idtgen: inject X} on ttyS1). The
 * guest ends the VM itself (-no-reboot).
 *
 * <p>Hang detection, never a verdict: the runner follows the test stream's
 * {@code begin}/{@code end} markers and charges the emulator CPU time the
 * QEMU process gets from the host to the phase it is in (a program, or the
 * boot, the gaps and the end). A phase that uses more than its limit, or a
 * guest that stays idle (under 2 % of a CPU) for {@code idleSeconds} of wall
 * time, is killed, and the boot says which phase, with what limit, after how
 * much CPU and wall time. Host load stretches wall time, not the CPU time a
 * program needs, so these limits do not move with it.
 */
public final class QemuRunner {

    /** What to boot. {@code limit} gives a program's limit in emulator CPU seconds. */
    public record Options(BootPlan.Qemu qemu, String accel, String cpu, int cpus, java.nio.file.Path kernel, Path initrd,
                          String append, Path dir, Map<String, String> inject, ToDoubleFunction<String> limit,
                          double otherLimit, double idleSeconds) {
    }

    /** The host killed the guest: in which phase (a program, or null for the phases outside programs), why. */
    public record Kill(String program, String reason, double limit, double cpuSeconds, double wallSeconds) {
        public String describe() {
            return String.format("%s after %.1f s of emulator CPU and %.1f s wall (limit %.1f s of emulator CPU)",
                    reason, cpuSeconds, wallSeconds, limit);
        }
    }

    /** The CPU and wall time of one program, as the host saw it from the markers. */
    public record Usage(double cpuSeconds, double wallSeconds) {
    }

    /** What happened: the two logs, the exit, a host kill (or null), the times, what was injected. */
    public record Boot(Path console, Path tests, int exitCode, Kill kill, double seconds, double cpuSeconds,
                       List<String> injected, Map<String, Usage> usage) {
        public boolean killed() {
            return kill != null;
        }
    }

    private static final Pattern INJECT = Pattern.compile("^# idtgen: inject (\\S+)\\s*$");
    private static final Pattern BEGIN = Pattern.compile("^# idtgen: begin (\\S+)\\s*$");
    private static final Pattern END = Pattern.compile("^# idtgen: end (\\S+) .*$");

    private QemuRunner() {
    }

    /** The QEMU command line of a boot (without the output files). */
    public static List<String> command(Options o, Path console, Path tests, Path sock) {
        return List.of(o.qemu().binary(), "-M", o.qemu().machine(), "-accel", o.accel(), "-cpu", o.cpu(), "-smp",
                Integer.toString(o.cpus()), "-m", o.qemu().memoryMb() + "M", "-display", "none", "-no-reboot",
                "-nodefaults", "-kernel", o.kernel().toString(), "-initrd", o.initrd().toString(), "-append",
                o.append(), "-serial", "file:" + console, "-serial", "file:" + tests, "-monitor",
                "unix:" + sock + ",server,nowait");
    }

    public static Boot boot(Options o, PrintWriter progress) throws IOException, InterruptedException {
        Files.createDirectories(o.dir());
        Path console = o.dir().resolve("console.log");
        Path tests = o.dir().resolve("tests.log");
        Path sock = o.dir().resolve("monitor.sock");
        Path qlog = o.dir().resolve("qemu.log");
        for (Path p : List.of(console, tests, sock)) {
            Files.deleteIfExists(p);
        }
        List<String> cmd = command(o, console, tests, sock);
        Files.writeString(o.dir().resolve("qemu.cmd"), String.join(" ", cmd) + "\n", StandardCharsets.UTF_8);
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(qlog.toFile()).start();
        List<String> injected = new ArrayList<>();
        Map<String, Usage> usage = new LinkedHashMap<>();
        QemuMonitor mon = null;
        Kill kill = null;
        double cpu = 0;
        try (Tail tail = new Tail(tests)) {
            String phase = null;
            double phaseCpu = 0;
            double phaseWall = 0;
            Deque<double[]> window = new ArrayDeque<>(); // (wall, cpu) samples of the last idleSeconds
            while (!p.waitFor(100, TimeUnit.MILLISECONDS)) {
                double wall = (System.nanoTime() - t0) / 1e9;
                cpu = cpuSeconds(p, cpu);
                for (String line : tail.lines()) {
                    Matcher m;
                    if ((m = BEGIN.matcher(line)).matches()) {
                        phase = m.group(1);
                        phaseCpu = cpu;
                        phaseWall = wall;
                    } else if ((m = END.matcher(line)).matches()) {
                        if (m.group(1).equals(phase)) {
                            usage.put(phase, new Usage(cpu - phaseCpu, wall - phaseWall));
                        }
                        phase = null;
                        phaseCpu = cpu;
                        phaseWall = wall;
                    } else if ((m = INJECT.matcher(line)).matches()) {
                        String what = m.group(1);
                        String command = o.inject().get(what);
                        if (command == null) {
                            injected.add(what + ": unknown request, nothing injected");
                            continue;
                        }
                        if (mon == null) {
                            mon = QemuMonitor.connect(sock);
                        }
                        String reply = mon.command(command);
                        injected.add(what + ": " + command + (reply.isEmpty() ? "" : " -> " + reply));
                        if (progress != null) {
                            synchronized (progress) {
                                progress.println("  qemu: injected " + what + " (" + command + ")");
                                progress.flush();
                            }
                        }
                    }
                }
                double limit = phase == null ? o.otherLimit() : o.limit().applyAsDouble(phase);
                window.addLast(new double[] {wall, cpu});
                while (window.size() > 1 && window.peekFirst()[0] < wall - o.idleSeconds()) {
                    window.removeFirst();
                }
                double[] first = window.peekFirst();
                if (cpu - phaseCpu > limit) {
                    kill = new Kill(phase, "timeout: over its limit", limit, cpu - phaseCpu, wall - phaseWall);
                } else if (wall - phaseWall >= o.idleSeconds() && wall - first[0] >= o.idleSeconds() * 0.95
                        && cpu - first[1] < 0.02 * (wall - first[0])) {
                    kill = new Kill(phase, String.format("timeout: the guest was idle (%.2f s of emulator CPU in "
                            + "the last %.0f s wall)", cpu - first[1], wall - first[0]), limit, cpu - phaseCpu,
                            wall - phaseWall);
                }
                if (kill != null) {
                    p.destroyForcibly();
                    p.waitFor(10, TimeUnit.SECONDS);
                    break;
                }
            }
            cpu = cpuSeconds(p, cpu);
        } finally {
            if (mon != null) {
                mon.close();
            }
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
        Files.deleteIfExists(sock);
        return new Boot(console, tests, kill != null ? -1 : p.exitValue(), kill, (System.nanoTime() - t0) / 1e9, cpu,
                injected, usage);
    }

    /** The CPU time the process has used so far (all its threads); the last value once it is gone. */
    private static double cpuSeconds(Process p, double last) {
        return p.toHandle().info().totalCpuDuration().map(Duration::toNanos).map(n -> n / 1e9)
                .filter(v -> v >= last).orElse(last);
    }

    /** Reads the complete lines appended to a file since the last call. */
    private static final class Tail implements AutoCloseable {
        private final Path file;
        private RandomAccessFile raf;
        private final StringBuilder partial = new StringBuilder();

        Tail(Path file) {
            this.file = file;
        }

        List<String> lines() throws IOException {
            if (raf == null) {
                if (!Files.exists(file)) {
                    return List.of();
                }
                raf = new RandomAccessFile(file.toFile(), "r");
            }
            long len = raf.length();
            long pos = raf.getFilePointer();
            if (len <= pos) {
                return List.of();
            }
            byte[] buf = new byte[(int) Math.min(len - pos, 1 << 20)];
            raf.readFully(buf);
            partial.append(new String(buf, StandardCharsets.ISO_8859_1));
            List<String> out = new ArrayList<>();
            int nl;
            while ((nl = partial.indexOf("\n")) >= 0) {
                out.add(partial.substring(0, nl).replace("\r", ""));
                partial.delete(0, nl + 1);
            }
            return out;
        }

        @Override
        public void close() throws IOException {
            if (raf != null) {
                raf.close();
            }
        }
    }
}
