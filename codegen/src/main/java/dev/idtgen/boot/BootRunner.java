package dev.idtgen.boot;

import dev.idtgen.io.FileTrees;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Boots jobs through their delivery's emulator (the {@link Emulator} seam: QEMU for the IDT, Bochs for FRED) and
 * saves a {@link BootRecord} with the logs of every boot. A program that takes the kernel down, or that the host
 * kills at its limit, is recorded and the next boot goes on after it.
 */
public final class BootRunner {

    /** How a job's first boot starts: its kernel command line and its initramfs (what a LAVA job repeats). */
    public record Launch(String append, Path initrd) {
    }

    private final Map<Delivery, Backend> backends;
    private final Initramfs initramfs;
    private final PrintWriter out;

    public BootRunner(Map<Delivery, Backend> backends, Initramfs initramfs, PrintWriter out) {
        this.backends = new EnumMap<>(backends);
        this.initramfs = initramfs;
        this.out = out;
    }

    /** The first boot of {@code j}: every program of it, in order. */
    public Launch launch(BootJob j) throws IOException, InterruptedException {
        return new Launch(append(plan(j), j, j.programs()), initramfs.pack(j.kernel(), j.programs()));
    }

    /** Boots a job until each of its programs has run. Saves each boot's record and returns them in order. */
    public List<BootRecord> execute(BootJob j) throws IOException, InterruptedException {
        Backend backend = backends.get(j.kernel().delivery());
        BootPlan plan = backend.plan();
        List<BootRecord> records = new ArrayList<>();
        List<String> remaining = new ArrayList<>(j.programs());
        for (int seq = 0; seq <= j.programs().size() + 1; seq++) {
            Path dir = j.kernel().dir().resolve(dirName(j, seq));
            FileTrees.delete(dir);
            Emulator.Boot b = backend.emulator().boot(j, append(plan, j, remaining),
                    initramfs.pack(j.kernel(), remaining), dir,
                    new GuestWatch.Limits(plan::limit, plan.bootLimit(), plan.limits().idle()), out);
            BootRecord r = new BootRecord(j.kernel().tag(), j.kernel().arch(), j.kernel().variant(), j.name(), seq,
                    j.attempt(), j.crash() == null ? null : j.crash().mode(), List.copyOf(remaining), j.cpus(),
                    j.cpu(), b.exitCode(), b.kill(), b.seconds(), b.cpuSeconds(), b.injected(), b.usage(), dir);
            r.save();
            records.add(r);
            Ktap.Stream s = Ktap.parse(r.testLines());
            String stopped = null;
            for (Ktap.Program p : s.programs()) {
                remaining.remove(p.name());
                if (p.exitCode() == null) {
                    stopped = p.name();
                }
            }
            progress(j, seq, b, s, stopped);
            // a crash is provoked after the last program: when a program took that boot down first, one more boot
            if (stopped == null || (remaining.isEmpty() && (j.crash() == null || b.killed()))) {
                break;
            }
        }
        return records;
    }

    private static String dirName(BootJob j, int seq) {
        return (j.attempt() == 0 ? "" : "rerun" + j.attempt() + "-") + j.name() + (seq == 0 ? "" : "." + seq);
    }

    private void progress(BootJob j, int seq, Emulator.Boot b, Ktap.Stream s, String stopped) {
        String how = b.killed() ? ", killed: " + (b.kill().program() == null ? "outside a program"
                : b.kill().program()) + ": " + b.kill().describe()
                : stopped == null ? "" : ", " + stopped + " took the kernel down";
        synchronized (out) {
            out.printf("%s: %s %.1f s (%.1f s emulator CPU, %d vCPU%s), %d programs%s%n",
                    j.kernel().delivery() == Delivery.IDT ? "qemu" : "bochs",
                    j.label() + (seq == 0 ? "" : " #" + (seq + 1)), b.seconds(), b.cpuSeconds(), j.cpus(),
                    j.cpus() == 1 ? "" : "s" + (j.slots() < j.cpus() ? ", one host thread" : ""),
                    s.programs().size(), how);
            out.flush();
        }
    }

    private BootPlan plan(BootJob j) {
        return backends.get(j.kernel().delivery()).plan();
    }

    /** The kernel command line of a boot that runs {@code remaining}: the guest's limits, mode and programs. */
    static String append(BootPlan plan, BootJob j, List<String> remaining) {
        double guestLimit = remaining.stream().mapToDouble(plan::limit).max().orElse(plan.bootLimit())
                * plan.limits().guest();
        return plan.append() + " idtgen.mode=" + (j.crash() == null ? "normal" : j.crash().mode())
                + " idtgen.timeout=" + (long) Math.ceil(guestLimit)
                + (remaining.isEmpty() ? "" : " idtgen.tests=" + String.join(",", remaining));
    }
}
