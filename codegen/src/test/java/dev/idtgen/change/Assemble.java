package dev.idtgen.change;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tests' small relocatable objects: x86_64 assembly source through GNU as. */
final class Assemble {

    private Assemble() {
    }

    /** {@code source} assembled into {@code dir/name.o}. */
    static Path object(Path dir, String name, String source) throws Exception {
        Path s = dir.resolve(name + ".S");
        Path o = dir.resolve(name + ".o");
        Files.writeString(s, source);
        Process p = new ProcessBuilder("as", "--64", "-o", o.toString(), s.toString()).inheritIO().start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "as " + s);
        return o;
    }
}
