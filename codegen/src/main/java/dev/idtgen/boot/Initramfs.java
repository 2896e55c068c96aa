package dev.idtgen.boot;

import dev.idtgen.io.AtomicFiles;
import dev.idtgen.io.Digests;
import dev.idtgen.kernel.KernelConfigurator;
import dev.idtgen.kernel.Workspace;
import dev.idtgen.model.Arch;
import dev.idtgen.proc.Step;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The initramfs of a boot (qemu-tests/mkinitramfs.sh): /init, the boot's programs only (a boot unpacks only what it
 * runs), the DPL 3 vectors of the table projected on the kernel's .config, and the .config. Packed once per content
 * into {@code boot/initramfs/ARCH-DIGEST.cpio}.
 */
public final class Initramfs {

    private final Workspace ws;
    private final KernelTables tables;
    private final Object packing = new Object();

    public Initramfs(Workspace ws, KernelTables tables) {
        this.ws = ws;
        this.tables = tables;
    }

    /** The initramfs that runs {@code programs} on kernel {@code k}, packed now unless one with this content exists. */
    public Path pack(BootKernel k, List<String> programs) throws IOException, InterruptedException {
        Path guests = ws.perKernel("guest");
        Path config = k.buildDir().resolve(".config");
        var cfg = Expectations.tristates(KernelConfigurator.read(config));
        String dpl3 = Expectations.userVectors(tables.of(k.variant()), k.arch(), cfg).stream().map(String::valueOf)
                .collect(Collectors.joining("\n", "", "\n"));
        String key = k.arch().yamlName() + "-" + Digests.sha256(dpl3 + "\0" + Files.readString(config,
                StandardCharsets.ISO_8859_1) + "\0" + stamp(guests, k.arch()) + "\0" + programs).substring(0, 12);
        Path initDir = ws.perKernel("boot").resolve("initramfs");
        Path initrd = initDir.resolve(key + ".cpio");
        synchronized (packing) {
            if (!Files.exists(initrd)) {
                Files.createDirectories(initDir);
                Path dpl3File = initDir.resolve(key + ".dpl3");
                Files.writeString(dpl3File, dpl3, StandardCharsets.UTF_8);
                Path tmp = initDir.resolve(key + ".tmp");
                try {
                    new Step("initramfs", ws.log("initramfs-" + key), null)
                            .env(Map.of("GEN_INIT_CPIO", k.buildDir().resolve("usr/gen_init_cpio").toString(),
                                    "PROGRAMS", String.join(" ", programs)))
                            .run(List.of("sh", ws.project().resolve("qemu-tests/mkinitramfs.sh").toString(),
                                    guests.toString(), k.arch().yamlName(), dpl3File.toString(), tmp.toString(),
                                    config.toString()));
                } catch (Step.Failed e) {
                    throw new IOException(e.getMessage(), e);
                }
                AtomicFiles.move(tmp, initrd);
                AtomicFiles.move(initDir.resolve(key + ".tmp.list"), initDir.resolve(key + ".list"));
            }
        }
        return initrd;
    }

    /** A stamp of the guest programs of an arch (names, sizes, times): a changed program packs a new initramfs. */
    private static String stamp(Path guests, Arch arch) throws IOException {
        StringBuilder b = new StringBuilder();
        for (String d : GuestPrograms.dirs(arch)) {
            try (var files = Files.list(guests.resolve(d))) {
                for (Path f : files.sorted().toList()) {
                    b.append(f.getFileName()).append(' ').append(Files.size(f)).append(' ')
                            .append(Files.getLastModifiedTime(f).toMillis()).append('\n');
                }
            }
        }
        return b.toString();
    }
}
