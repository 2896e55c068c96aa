package dev.idtgen.change;

import dev.idtgen.io.Digests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a verdict depends on besides the kernel: the guest programs and the
 * selftests built for the initramfs, the boot plan and the other data files
 * of qemu-tests/, and the emulators (their version lines, or the binary).
 * One digest: when it differs from the baseline's, nothing is carried.
 */
public final class Inputs {

    private Inputs() {
    }

    /** SHA-256 over every regular file under {@code paths} (path and bytes, sorted) and the {@code versions}. */
    public static String digest(List<Path> paths, List<String> versions) throws IOException {
        MessageDigest md = Digests.sha256();
        for (Path root : paths) {
            if (!Files.exists(root)) {
                md.update(("missing " + root + "\n").getBytes(StandardCharsets.UTF_8));
                continue;
            }
            try (Stream<Path> s = Files.walk(root)) {
                for (Path f : s.filter(Files::isRegularFile).sorted().toList()) {
                    md.update((root.relativize(f) + "\n").getBytes(StandardCharsets.UTF_8));
                    md.update(Files.readAllBytes(f));
                }
            }
        }
        for (String v : versions) {
            md.update(("\n" + v).getBytes(StandardCharsets.UTF_8));
        }
        return Digests.hex(md);
    }

    /** SHA-256 of one file, hex. */
    public static String file(Path f) throws IOException {
        return Digests.sha256(f);
    }

}
