package dev.idtgen.render;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Writes generated files atomically (a temporary file in the same
 * directory, then a rename) and only when their bytes change, so unchanged
 * files keep their mtime and kbuild rebuilds only what changed.
 */
public final class OutputWriter {

    /** What a write did to one file. */
    public enum Change { CREATED, UPDATED, UNCHANGED }

    /** One file's outcome. */
    public record Written(String path, Change change) {
    }

    private OutputWriter() {
    }

    public static List<Written> write(Path outDir, Map<String, byte[]> files) throws IOException {
        List<Written> result = new ArrayList<>();
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Path target = outDir.resolve(f.getKey());
            boolean exists = Files.isRegularFile(target);
            if (exists && Arrays.equals(Files.readAllBytes(target), f.getValue())) {
                result.add(new Written(f.getKey(), Change.UNCHANGED));
                continue;
            }
            dev.idtgen.io.AtomicFiles.write(target, f.getValue());
            result.add(new Written(f.getKey(), exists ? Change.UPDATED : Change.CREATED));
        }
        return result;
    }

    /** The files under {@code outDir} whose bytes differ from {@code files}, with a one-line reason each. */
    public static List<String> differences(Path outDir, Map<String, byte[]> files) throws IOException {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Path target = outDir.resolve(f.getKey());
            if (!Files.isRegularFile(target)) {
                out.add(target + ": missing");
                continue;
            }
            byte[] have = Files.readAllBytes(target);
            if (!Arrays.equals(have, f.getValue())) {
                out.add(target + ": " + firstDifference(have, f.getValue()));
            }
        }
        return out;
    }

    /**
     * Files under {@code outDir} that none of {@code files} is: left over from
     * a kernel or a layout the table no longer has (hidden files excepted).
     */
    public static List<String> strays(Path outDir, Map<String, byte[]> files) throws IOException {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(outDir)) {
            return out;
        }
        try (java.util.stream.Stream<Path> s = Files.walk(outDir)) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                String rel = outDir.relativize(p).toString().replace('\\', '/');
                if (!files.containsKey(rel) && !p.getFileName().toString().startsWith(".")) {
                    out.add(p + ": not generated from the table (stale: remove it)");
                }
            }
        }
        return out;
    }

    private static String firstDifference(byte[] have, byte[] want) {
        String[] a = new String(have, java.nio.charset.StandardCharsets.UTF_8).split("\n", -1);
        String[] b = new String(want, java.nio.charset.StandardCharsets.UTF_8).split("\n", -1);
        int n = Math.min(a.length, b.length);
        for (int i = 0; i < n; i++) {
            if (!a[i].equals(b[i])) {
                return "differs from line " + (i + 1) + ": have '" + clip(a[i]) + "', want '" + clip(b[i]) + "'";
            }
        }
        return a.length < b.length ? "ends early at line " + (a.length) : "has extra lines from line " + (n + 1);
    }

    private static String clip(String s) {
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }
}
