package dev.idtgen.boot;

import dev.idtgen.kernel.Profile;
import dev.idtgen.kernel.Variant;
import dev.idtgen.model.Arch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a boot directory keeps reads back as it was written; a damaged file is a positioned error. */
class BootStoreTest {

    @Test
    void aBootedKernelAndItsBootsReadBackAsWritten(@TempDir Path dir) throws IOException {
        BootKernel k = new BootKernel("x86_64-tiny generated fred", Arch.X86_64, Variant.GENERATED, Profile.TINY,
                dir.resolve("bzImage"), dir.resolve("build"), new TreeSet<>(Set.of("exc_int3", "exc_nmi")),
                List.of("traps-64", "ksft_sigreturn-64"), dir, Delivery.FRED);
        BootStore.saveKernel(k);
        assertEquals(k, BootStore.loadKernel(dir));
        Path boot = dir.resolve("guest.1");
        Files.createDirectories(boot);
        BootRecord r = new BootRecord(k.tag(), Arch.X86_64, Variant.GENERATED, "guest", 1, 0, "crash-bug",
                List.of("traps-64"), 1, "max", -1, new Emulator.Kill("traps-64", "timeout: over its limit", 30, 31.5,
                40.25), 41.5, 33, List.of("nmi: nmi -> ok"), Map.of("traps-64", new Emulator.Usage(1.25, 2.5)), boot);
        r.save();
        assertEquals(List.of(r), BootStore.records(k));
        List<TestResult> carried = List.of(new TestResult(Unit.group("smp"), 0, Judge.CLEAN_SHUTDOWN,
                Ktap.Status.PASS, "", List.of(), "base-1"));
        BootStore.carry(k, carried);
        assertEquals(carried, BootStore.carried(k));
    }

    @Test
    void aDamagedFileNamesItsLineAndColumn(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve(BootStore.KERNEL_FILE), "tag: x\narch: sparc\nvariant: stock\nprofile: tiny\n");
        IOException e = assertThrows(IOException.class, () -> BootStore.loadKernel(dir));
        assertTrue(e.getMessage().startsWith(dir.resolve(BootStore.KERNEL_FILE) + ":2:7: bad-value: "),
                e.getMessage());
        Files.writeString(dir.resolve(BootStore.KERNEL_FILE), "tag: x\n");
        e = assertThrows(IOException.class, () -> BootStore.loadKernel(dir));
        assertTrue(e.getMessage().contains(":1:1: missing-key: "), e.getMessage());
        Files.writeString(dir.resolve(BootRecord.FILE), "kernel: k\narch: [x86_64\n");
        e = assertThrows(IOException.class, () -> BootRecord.load(dir));
        assertTrue(e.getMessage().contains(BootRecord.FILE + ":") && e.getMessage().contains("yaml-syntax"),
                e.getMessage());
    }

    @Test
    void aKernelCreditedWithAnIdenticalImageReadsTheBootedKernelsBoots(@TempDir Path dir) throws IOException {
        BootKernel stock = kernel(dir, Variant.STOCK);
        BootKernel gen = kernel(dir, Variant.GENERATED);
        for (BootKernel k : List.of(stock, gen)) {
            Files.createDirectories(k.dir());
            BootStore.saveKernel(k);
        }
        assertEquals(java.util.Optional.empty(), BootStore.shared(gen));
        Path boot = stock.dir().resolve("guest.0");
        Files.createDirectories(boot);
        BootRecord r = new BootRecord(stock.tag(), Arch.I386, Variant.STOCK, "guest", 0, 0, null, List.of("traps-32"),
                1, "qemu32", 0, null, 2.5, 2, List.of(), Map.of(), boot);
        r.save();
        List<TestResult> carried = List.of(new TestResult(Unit.named("irqs-32"), 1, "irqs x", Ktap.Status.PASS, "",
                List.of(), "base-1"));
        BootStore.carry(stock, carried);
        assertEquals(List.of(), BootStore.records(gen));
        BootStore.share(new SharedImage(stock, gen, "bzImage byte-identical"));
        assertEquals(new SharedImage(stock, gen, "bzImage byte-identical"), BootStore.shared(gen).orElseThrow());
        assertEquals(List.of(r), BootStore.records(gen));
        assertEquals(carried, BootStore.carried(gen));
        assertEquals(java.util.Optional.empty(), BootStore.shared(stock));
    }

    private static BootKernel kernel(Path root, Variant v) {
        return new BootKernel("i386-tiny " + v.cliName(), Arch.I386, v, Profile.TINY, root.resolve(v.cliName() + ".bz"),
                root.resolve("build-" + v.cliName()), new TreeSet<>(Set.of("exc_int3")), List.of("traps-32"),
                root.resolve("i386-tiny").resolve(v.cliName()));
    }
}
