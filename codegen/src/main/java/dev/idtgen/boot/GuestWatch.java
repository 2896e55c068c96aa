package dev.idtgen.boot;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Watches a running emulator (QEMU or Bochs) until it exits: follows the
 * guest's test stream for the {@code # idtgen: begin/end} markers, charges
 * the emulator CPU time the process gets from the host to the phase it is in
 * (a program, or the boot, the gaps and the end), and kills the emulator
 * when a phase uses more than its limit or the guest stays idle (under 2 %
 * of a CPU) for {@code idleSeconds} of wall time. Host load stretches wall
 * time, not the CPU time a program needs, so these limits do not move with
 * it: a kill is a hang detector, never a verdict.
 */
public final class GuestWatch {

    /** The limits: a program's limit and the other phases' in emulator CPU seconds, the idle window in wall seconds. */
    public record Limits(ToDoubleFunction<String> program, double other, double idleSeconds) {
    }

    /** Sees every other line of the test stream (e.g. an injection request). */
    public interface LineHandler {
        void line(String line) throws IOException;
    }

    /** Asked every 100 ms: a reason to end the emulator now (the guest is done), or null. */
    public interface EndCheck {
        String ended() throws IOException;
    }

    /** What the watch saw: the host's kill (or null), the emulator CPU time, each program's usage, how it ended. */
    public record Watched(Emulator.Kill kill, double cpuSeconds, Map<String, Emulator.Usage> usage,
                         String endedBy) {
    }

    private GuestWatch() {
    }

    /** Watches {@code p} until it exits or is killed; {@code t0} is when it started (System.nanoTime()). */
    public static Watched watch(Process p, long t0, Path tests, Limits limits, LineHandler other, EndCheck end)
            throws IOException, InterruptedException {
        HangDetector detector = new HangDetector(limits);
        Emulator.Kill kill = null;
        String endedBy = null;
        double cpu = 0;
        try (Tail tail = new Tail(tests)) {
            while (!p.waitFor(100, TimeUnit.MILLISECONDS)) {
                double wall = (System.nanoTime() - t0) / 1e9;
                cpu = cpuSeconds(p, cpu);
                for (String line : tail.lines()) {
                    GuestProtocol.Marker marker = GuestProtocol.parse(line).orElse(null);
                    if (marker instanceof GuestProtocol.Begin begin) {
                        detector.begin(begin.program(), wall, cpu);
                    } else if (marker instanceof GuestProtocol.End e) {
                        detector.end(e.program(), wall, cpu);
                    } else if (other != null) {
                        other.line(line);
                    }
                }
                if (end != null && (endedBy = end.ended()) != null) {
                    stop(p);
                    break;
                }
                kill = detector.sample(wall, cpu);
                if (kill != null) {
                    p.destroyForcibly();
                    p.waitFor(10, TimeUnit.SECONDS);
                    break;
                }
            }
            cpu = cpuSeconds(p, cpu);
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
        return new Watched(kill, cpu, detector.usage(), endedBy);
    }

    /** Ends an emulator whose guest is done: politely, then by force. */
    private static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The CPU time the process has used so far (all its threads); the last value once it is gone. */
    static double cpuSeconds(Process p, double last) {
        return p.toHandle().info().totalCpuDuration().map(Duration::toNanos).map(n -> n / 1e9)
                .filter(v -> v >= last).orElse(last);
    }

    /** Reads the complete lines appended to a file since the last call. */
    public static final class Tail implements AutoCloseable {
        private final Path file;
        private RandomAccessFile raf;
        private final StringBuilder partial = new StringBuilder();

        public Tail(Path file) {
            this.file = file;
        }

        public List<String> lines() throws IOException {
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
