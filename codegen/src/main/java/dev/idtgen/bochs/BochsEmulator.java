package dev.idtgen.bochs;

import dev.idtgen.proc.Step;
import dev.idtgen.boot.BootJob;
import dev.idtgen.boot.Emulator;
import dev.idtgen.boot.GuestWatch;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Boots a kernel on Bochs. Bochs has no {@code -kernel}: each boot gets a CD
 * image made with {@code grub-mkrescue} (GRUB, the bzImage, the initramfs and
 * a grub.cfg with the boot's command line), written into the boot's directory
 * and deleted after it. The console (ttyS0, COM1) goes to console.log
 * through a TCP socket on the loopback that Bochs connects to (its
 * {@code socket-client} mode) and the host copies to the file as the bytes
 * come (Bochs' own file mode buffers its output, so the host would see it
 * late and lose the last lines of a killed boot). The test stream does not
 * use ttyS1, whose transmit interrupt Bochs loses partway through the traps
 * program: /init relays it to port 0xE9 ({@code idtgen.out=e9}), which Bochs
 * writes to its standard output, copied to tests.log the same way. The guest ends the emulator itself (/init writes
 * "Shutdown" to port 0x8900, {@code idtgen.exit=bochs}); a kernel that panics
 * or restarts the machine would boot again from the CD (Bochs cannot be told
 * not to reboot), so the host ends the run when the console says so. The
 * hang detectors are QEMU's ({@link GuestWatch}); Bochs has no monitor, so
 * nothing is injected.
 */
public final class BochsEmulator implements Emulator {

    /** Console lines after which the guest will not go on: the run ends (after a grace for the last lines). */
    static final List<String> ENDINGS = List.of("Kernel panic - not syncing", "reboot: Restarting system");
    private static final double GRACE_SECONDS = 2;

    private final BochsPlan plan;
    private final Path home;

    public BochsEmulator(BochsPlan plan, Path home) {
        this.plan = plan;
        this.home = home;
    }

    @Override
    public Emulator.Boot boot(BootJob job, String append, Path initrd, Path dir, GuestWatch.Limits limits,
                                PrintWriter progress) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path console = dir.resolve("console.log");
        Path tests = dir.resolve("tests.log");
        Path log = dir.resolve("bochs.log");
        Path iso = dir.resolve("boot.iso");
        for (Path p : List.of(console, tests, log, iso)) {
            Files.deleteIfExists(p);
        }
        image(job.kernel().bzImage(), initrd, append, dir, iso);
        Path rc = dir.resolve("bochsrc.txt");
        GuestWatch.Watched w;
        long t0;
        Process p;
        try (SerialPort com1 = new SerialPort(console)) {
            Files.writeString(rc, plan.bochsrc(home, iso, com1.address(), log), StandardCharsets.UTF_8);
            List<String> cmd = List.of(home.resolve(plan.files().get(0)).toString(), "-q", "-f", rc.toString());
            Files.writeString(dir.resolve("bochs.cmd"), String.join(" ", cmd) + "\n", StandardCharsets.UTF_8);
            t0 = System.nanoTime();
            Files.write(tests, new byte[0]);
            p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectError(dir.resolve("bochs.out").toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            Thread e9 = copier(p.getInputStream(), tests);
            Ending ending = new Ending(console);
            try {
                w = GuestWatch.watch(p, t0, tests, limits, null, ending);
            } finally {
                ending.console.close();
            }
            com1.drain();
            e9.join(5000);
        } finally {
            Files.deleteIfExists(iso);
        }
        int exit = w.kill() != null ? -1 : w.endedBy() != null ? 0 : p.exitValue();
        if (w.endedBy() != null) {
            Files.writeString(dir.resolve("ended.txt"), "ended by the host: " + w.endedBy() + "\n",
                    StandardCharsets.UTF_8);
        }
        return new Emulator.Boot(console, tests, exit, w.kill(), (System.nanoTime() - t0) / 1e9, w.cpuSeconds(),
                List.of(), w.usage());
    }

    /** The CD image: GRUB, the kernel, the initramfs and a grub.cfg with this boot's command line. */
    private void image(Path bzImage, Path initrd, String append, Path dir, Path iso) throws IOException,
            InterruptedException {
        Path stage = dir.resolve("iso");
        Files.createDirectories(stage.resolve("boot/grub"));
        Files.writeString(stage.resolve("boot/grub/grub.cfg"), plan.grub(append), StandardCharsets.UTF_8);
        for (Path[] f : new Path[][] {{bzImage, stage.resolve("boot/bzImage")},
                {initrd, stage.resolve("boot/initramfs.cpio")}}) {
            Files.deleteIfExists(f[1]);
            try {
                Files.createLink(f[1], f[0]);
            } catch (IOException | UnsupportedOperationException e) {
                Files.copy(f[0], f[1]);
            }
        }
        try {
            new Step("boot image", dir.resolve("grub-mkrescue.log"), null).timeout(300)
                    .run(List.of("grub-mkrescue", "-o", iso.toString(), stage.toString()));
        } catch (Step.Failed e) {
            throw new IOException("grub-mkrescue failed (is grub-pc-bin installed?): " + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(stage.resolve("boot/bzImage"));
            Files.deleteIfExists(stage.resolve("boot/initramfs.cpio"));
        }
    }

    /** A thread that appends what {@code in} gives to {@code file} at once, until the end of the stream. */
    private static Thread copier(java.io.InputStream in, Path file) {
        Thread t = new Thread(() -> copy(in, file), "bochs-copy-" + file.getFileName());
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void copy(java.io.InputStream in, Path file) {
        try (in; java.io.OutputStream out = Files.newOutputStream(file, java.nio.file.StandardOpenOption.APPEND)) {
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // the emulator went away: the file has what came
        }
    }

    /**
     * The host end of a serial port: a listening socket on the loopback that Bochs connects to at start-up, and a
     * thread that appends what arrives to a file at once.
     */
    private static final class SerialPort implements AutoCloseable {
        private final java.net.ServerSocket server;
        private final Thread copier;
        private volatile java.net.Socket socket;

        SerialPort(Path file) throws IOException {
            Files.write(file, new byte[0]);
            server = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
            server.setSoTimeout(120_000);
            copier = new Thread(() -> {
                try {
                    java.net.Socket s = server.accept();
                    socket = s;
                    copy(s.getInputStream(), file);
                } catch (IOException e) {
                    // Bochs never connected (it failed early: see bochs.out): the file stays empty
                }
            }, "bochs-serial-" + file.getFileName());
            copier.setDaemon(true);
            copier.start();
        }

        /** {@code 127.0.0.1:PORT}, for the bochsrc. */
        String address() {
            return server.getInetAddress().getHostAddress() + ":" + server.getLocalPort();
        }

        /** Waits for the last bytes after the emulator is gone. */
        void drain() throws InterruptedException {
            copier.join(5000);
        }

        @Override
        public void close() throws IOException {
            server.close();
            java.net.Socket s = socket;
            if (s != null) {
                s.close();
            }
        }
    }

    /** Ends the run once the console shows an ending, after a grace for the last lines. */
    private static final class Ending implements GuestWatch.EndCheck {
        private final GuestWatch.Tail console;
        private long seenAt = -1;
        private String seen;

        Ending(Path console) {
            this.console = new GuestWatch.Tail(console);
        }

        @Override
        public String ended() throws IOException {
            if (seen == null) {
                for (String line : console.lines()) {
                    for (String e : ENDINGS) {
                        if (seen == null && line.contains(e)) {
                            seen = e;
                            seenAt = System.nanoTime();
                        }
                    }
                }
                return null;
            }
            return (System.nanoTime() - seenAt) / 1e9 >= GRACE_SECONDS ? "the console said \"" + seen + "\"" : null;
        }
    }
}
