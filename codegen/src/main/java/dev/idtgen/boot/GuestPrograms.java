package dev.idtgen.boot;

import dev.idtgen.kernel.Variant;
import dev.idtgen.kernel.Workspace;
import dev.idtgen.model.Arch;
import dev.idtgen.proc.Step;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The programs /init runs in a guest: idtgen's own (qemu-tests/guest, both arches) and the kernel's
 * tools/testing/selftests/x86 (static, 64- and 32-bit, from the stock tree), which join them as
 * {@code ksft_NAME}. A program's name carries its bits: {@code audit-64}, {@code ksft_sigreturn-32}.
 */
public final class GuestPrograms {

    /** Selftest programs are run by /init like the others, under this prefix. */
    public static final String SELFTEST = "ksft_";

    /** A selftest's exit code for "skipped" (kselftest.h's KSFT_SKIP). */
    public static final int KSFT_SKIP = 4;

    private GuestPrograms() {
    }

    /** Builds the guest programs and the selftests into {@code guest/} of the kernel's work; make keeps both incremental. */
    public static Path build(Workspace ws, PrintWriter out) throws IOException, InterruptedException, Step.Failed {
        Path dir = ws.perKernel("guest");
        Path ksft = ws.source(Variant.STOCK).resolve("tools/testing/selftests");
        new Step("guest programs", ws.log("guest-programs"), out).timeout(600)
                .run(List.of("make", "-s", "-C", ws.project().resolve("qemu-tests").toString(), "O=" + dir,
                        "KSFT=" + ksft));
        Path st = ws.perKernel("selftests-x86");
        Files.createDirectories(st);
        new Step("x86 selftests", ws.log("selftests-x86"), out).timeout(600)
                .run(List.of("make", "-s", "-C", ksft.resolve("x86").toString(), "EXTRA_CFLAGS=-static",
                        "OUTPUT=" + st));
        copySelftests(st, dir);
        return dir;
    }

    /** Copies each built selftest NAME_64 / NAME_32 to {@code x86_64/ksft_NAME} / {@code i386/ksft_NAME}. */
    private static void copySelftests(Path built, Path guests) throws IOException {
        try (var files = Files.list(built)) {
            for (Path f : files.sorted().toList()) {
                String n = f.getFileName().toString();
                String arch = n.endsWith("_64") ? "x86_64" : n.endsWith("_32") ? "i386" : null;
                if (arch == null || !Files.isExecutable(f)) {
                    continue;
                }
                Path to = guests.resolve(arch).resolve(SELFTEST + n.substring(0, n.length() - 3));
                if (!Files.exists(to) || Files.mismatch(f, to) != -1) {
                    Files.copy(f, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    /** The programs of the initramfs for {@code arch}, guest tests first (sorted), then the selftests. */
    public static List<String> list(Path guests, Arch arch) throws IOException {
        List<String> own = new ArrayList<>();
        List<String> ksft = new ArrayList<>();
        for (String dir : dirs(arch)) {
            String bits = dir.equals("x86_64") ? "-64" : "-32";
            try (var files = Files.list(guests.resolve(dir))) {
                for (Path f : files.sorted().toList()) {
                    String n = f.getFileName().toString();
                    if (n.equals("init") || !Files.isExecutable(f)) {
                        continue;
                    }
                    (n.startsWith(SELFTEST) ? ksft : own).add(n + bits);
                }
            }
        }
        own.sort(null);
        ksft.sort(null);
        own.addAll(ksft);
        return own;
    }

    /** The program directories an initramfs of {@code arch} draws from (x86_64 also runs the 32-bit programs). */
    static List<String> dirs(Arch arch) {
        return arch == Arch.X86_64 ? List.of("x86_64", "i386") : List.of("i386");
    }
}
