package dev.idtgen.qemu;

import dev.idtgen.boot.BootPlan;
import dev.idtgen.boot.BootJob;
import dev.idtgen.boot.Emulator;
import dev.idtgen.boot.GuestWatch;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;

/** The IDT boots' emulator: QEMU with TCG, its machine per arch and its injections as the boot plan gives them. */
public final class QemuEmulator implements Emulator {

    private final BootPlan plan;

    public QemuEmulator(BootPlan plan) {
        this.plan = plan;
    }

    @Override
    public Boot boot(BootJob j, String append, Path initrd, Path dir, GuestWatch.Limits limits,
                     PrintWriter progress) throws IOException, InterruptedException {
        QemuRunner.Options o = new QemuRunner.Options(plan.qemu().get(j.kernel().arch()), j.accel(), j.cpu(),
                j.cpus(), j.kernel().bzImage(), initrd, append, dir, plan.inject(), limits.program(), limits.other(),
                limits.idleSeconds());
        return QemuRunner.boot(o, progress);
    }
}
