package dev.idtgen.qemu;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;

/** Runs one boot of a job: the kernel's image and this initramfs, this command line, the logs in {@code dir}. */
public interface Emulator {
    QemuRunner.Boot boot(BootSuite.Job job, String append, Path initrd, Path dir, GuestWatch.Limits limits,
                         PrintWriter progress) throws IOException, InterruptedException;
}
