package dev.idtgen.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Test helper: a kernel source tree of one series for the import tests.
 * Either {@code $IDTGEN_KERNEL_SRC_<series with _>} (IDTGEN_KERNEL_SRC_6_12;
 * for 6.1 also {@code $IDTGEN_KERNEL_SRC}), or the files the importer reads
 * extracted from Debian's {@code /usr/src/linux-source-<series>.tar.xz} into
 * {@code target/kernel-src/linux-source-<series>} (once; a marker file
 * records a complete extraction).
 */
public final class KernelTree {

    static final String ENV = "IDTGEN_KERNEL_SRC";
    /**
     * What the importer reads (the Makefile for the series, arch/x86, the other Kconfig files, the
     * sysvec_install() calls of drivers/hv and drivers/xen) and scripts/ for checkpatch.pl.
     */
    static final List<String> MEMBERS = List.of("Makefile", "arch/x86", "drivers/thermal/intel", "drivers/hv",
            "drivers/xen", "init/Kconfig", "scripts");

    private KernelTree() {
    }

    /** The 6.1 kernel tree, extracted first when needed. */
    public static Path get() throws IOException, InterruptedException {
        return get("6.1");
    }

    /** The kernel tree of a series, extracted first when needed. */
    public static Path get(String series) throws IOException, InterruptedException {
        final Path TARBALL = Path.of("/usr/src/linux-source-" + series + ".tar.xz");
        final String TOP = "linux-source-" + series;
        String env = System.getenv(ENV + "_" + series.replace('.', '_'));
        if ((env == null || env.isBlank()) && series.equals("6.1")) {
            env = System.getenv(ENV);
        }
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        Path base = basedir().resolve("target/kernel-src");
        Path tree = base.resolve(TOP);
        Path done = base.resolve(TOP + ".extracted");
        if (Files.exists(done) && Files.isDirectory(tree)
                && Files.readString(done).equals(String.join("\n", MEMBERS) + "\n")) {
            return tree;
        }
        if (!Files.isRegularFile(TARBALL)) {
            fail(TARBALL + " is missing: run `apt-get install " + TOP + "` (`./idtgen test` installs it),"
                    + " or point " + ENV + "_" + series.replace('.', '_') + " at an extracted Linux " + series
                    + " tree");
        }
        Files.createDirectories(base);
        deleteTree(tree);
        Path tmp = Files.createTempDirectory(base, "extract-");
        try {
            List<String> cmd = new ArrayList<>(List.of("tar", "-xJf", TARBALL.toString(), "-C", tmp.toString()));
            MEMBERS.forEach(m -> cmd.add(TOP + "/" + m));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                fail("extracting " + TARBALL + " failed: " + String.join(" ", cmd) + "\n" + output);
            }
            Files.move(tmp.resolve(TOP), tree);
            Files.writeString(done, String.join("\n", MEMBERS) + "\n");
        } finally {
            deleteTree(tmp);
        }
        return tree;
    }

    private static Path basedir() {
        String b = System.getProperty("basedir");
        return b != null ? Path.of(b) : Path.of("").toAbsolutePath();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
