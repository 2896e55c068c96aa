package dev.idtgen.change;

import dev.idtgen.io.Digests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What a verdict depends on besides the kernel: the guest programs and the
 * selftests built for the initramfs, the boot plan and the other data files
 * of qemu-tests/, and the emulators (their version lines, or the binary).
 * A digest per part: when one differs from the baseline's, nothing is
 * carried, and the run names the part.
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

    /**
     * What a verdict depends on outside the kernel, part by part, so that a change can name the part: each
     * directory of {@code dirs} as its {@link #digest} (every file's path and bytes), each of {@code versions} as
     * it is (an emulator's version line, a binary's digest). Sorted by name.
     */
    public static Map<String, String> parts(Map<String, Path> dirs, Map<String, String> versions) throws IOException {
        Map<String, String> parts = new TreeMap<>();
        for (Map.Entry<String, Path> d : dirs.entrySet()) {
            parts.put(d.getKey(), digest(List.of(d.getValue()), List.of()));
        }
        parts.putAll(versions);
        return parts;
    }

    /** The part a baseline made by an older idtgen has: one digest of everything, which names no part. */
    public static final String LEGACY = "the inputs (one digest, recorded by an older idtgen)";

    /**
     * The names of the parts that differ between a baseline's and now (one missing on either side counts); for a
     * baseline of an older idtgen, {@link #LEGACY} alone.
     */
    public static List<String> changed(Map<String, String> base, Map<String, String> now) {
        if (base.containsKey(LEGACY)) {
            return List.of(LEGACY);
        }
        java.util.Set<String> names = new java.util.TreeSet<>(base.keySet());
        names.addAll(now.keySet());
        return names.stream().filter(n -> !java.util.Objects.equals(base.get(n), now.get(n))).toList();
    }

    /** SHA-256 of one file, hex. */
    public static String file(Path f) throws IOException {
        return Digests.sha256(f);
    }

}
