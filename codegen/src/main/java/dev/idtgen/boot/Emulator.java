package dev.idtgen.boot;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Runs one boot of a job: the kernel's image and this initramfs, this command line, the logs in {@code dir}. */
public interface Emulator {

    /** The host killed the guest: in which phase (a program, or null for the phases outside programs), why. */
    record Kill(String program, String reason, double limit, double cpuSeconds, double wallSeconds) {
        public String describe() {
            return String.format("%s after %.1f s of emulator CPU and %.1f s wall (limit %.1f s of emulator CPU)",
                    reason, cpuSeconds, wallSeconds, limit);
        }
    }

    /** The CPU and wall time of one program, as the host saw it from the markers. */
    record Usage(double cpuSeconds, double wallSeconds) {
    }

    /** What happened: the two logs, the exit, a host kill (or null), the times, what was injected. */
    record Boot(Path console, Path tests, int exitCode, Kill kill, double seconds, double cpuSeconds,
                       List<String> injected, Map<String, Usage> usage) {
        public boolean killed() {
            return kill != null;
        }
    }

    Boot boot(BootJob job, String append, Path initrd, Path dir, GuestWatch.Limits limits,
              PrintWriter progress) throws IOException, InterruptedException;
}
