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
 * Test helper: a Linux 6.1 source tree for the import tests. Either
 * {@code $IDTGEN_KERNEL_SRC}, or the files the importer reads extracted from
 * Debian's {@code /usr/src/linux-source-6.1.tar.xz} into
 * {@code target/kernel-src/linux-source-6.1} (once; a marker file records a
 * complete extraction).
 */
public final class KernelTree {

    static final String ENV = "IDTGEN_KERNEL_SRC";
    static final Path TARBALL = Path.of("/usr/src/linux-source-6.1.tar.xz");
    static final String TOP = "linux-source-6.1";
    /** What the importer reads (arch/x86, the other Kconfig files) and scripts/ for checkpatch.pl. */
    static final List<String> MEMBERS = List.of("arch/x86", "drivers/thermal/intel", "drivers/hv/Kconfig",
            "init/Kconfig", "scripts");

    private KernelTree() {
    }

    /** The kernel tree, extracted first when needed. */
    public static Path get() throws IOException, InterruptedException {
        String env = System.getenv(ENV);
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
            fail(TARBALL + " is missing: run `apt-get install linux-source-6.1` (`./idtgen test` installs it),"
                    + " or point " + ENV + " at an extracted Linux 6.1 tree");
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
