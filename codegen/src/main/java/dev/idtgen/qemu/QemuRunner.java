package dev.idtgen.qemu;

import dev.idtgen.model.Arch;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Boots a kernel in QEMU (TCG, two vCPUs): the console (ttyS0) goes to one
 * file, the guest's test stream (ttyS1) to another; the human monitor on a
 * unix socket injects what the guest asks for ({@code # idtgen: inject X}
 * on ttyS1). The guest ends the VM itself (-no-reboot); a guest that does
 * not is killed at the timeout, and the boot says so.
 */
public final class QemuRunner {

    /** What to boot. {@code inject} maps an inject request to its monitor command. */
    public record Options(Arch arch, String cpu, Path kernel, Path initrd, String append, int cpus, int memoryMb,
                          long timeoutSeconds, Path dir, Map<String, String> inject) {
    }

    /** What happened: the two logs, the exit, whether it was killed, what was injected. */
    public record Boot(Path console, Path tests, int exitCode, boolean timedOut, double seconds,
                       List<String> injected) {
        public List<String> testLines() throws IOException {
            return Files.readAllLines(tests, StandardCharsets.ISO_8859_1);
        }

        public String consoleText() throws IOException {
            return Files.readString(console, StandardCharsets.ISO_8859_1);
        }
    }

    private static final Pattern INJECT = Pattern.compile("^# idtgen: inject (\\S+)\\s*$", Pattern.MULTILINE);

    private QemuRunner() {
    }

    public static String binary(Arch a) {
        return a == Arch.X86_64 ? "qemu-system-x86_64" : "qemu-system-i386";
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
        List<String> cmd = new ArrayList<>(List.of(binary(o.arch()), "-M", "pc", "-cpu", o.cpu(), "-smp", Integer.toString(o.cpus()),
                "-m", o.memoryMb() + "M", "-display", "none", "-no-reboot", "-nodefaults",
                "-kernel", o.kernel().toString(), "-initrd", o.initrd().toString(), "-append", o.append(),
                "-serial", "file:" + console, "-serial", "file:" + tests,
                "-monitor", "unix:" + sock + ",server,nowait"));
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(qlog.toFile()).start();
        List<String> injected = new ArrayList<>();
        QemuMonitor mon = null;
        boolean timedOut = false;
        try {
            int seen = 0;
            while (!p.waitFor(100, TimeUnit.MILLISECONDS)) {
                if ((System.nanoTime() - t0) / 1e9 > o.timeoutSeconds()) {
                    timedOut = true;
                    p.destroyForcibly();
                    p.waitFor(10, TimeUnit.SECONDS);
                    break;
                }
                if (!Files.exists(tests)) {
                    continue;
                }
                String text = Files.readString(tests, StandardCharsets.ISO_8859_1);
                Matcher m = INJECT.matcher(text);
                int n = 0;
                while (m.find()) {
                    n++;
                    if (n <= seen) {
                        continue;
                    }
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
                        progress.println("  qemu: injected " + what + " (" + command + ")");
                        progress.flush();
                    }
                }
                seen = n;
            }
        } finally {
            if (mon != null) {
                mon.close();
            }
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
        Files.deleteIfExists(sock);
        return new Boot(console, tests, timedOut ? -1 : p.exitValue(), timedOut, (System.nanoTime() - t0) / 1e9,
                injected);
    }
}
