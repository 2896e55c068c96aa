package dev.idtgen.kernel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kernel tests' small relocatable objects: x86_64 or i386 assembly through GNU as, C through gcc. */
final class Assemble {

    private Assemble() {
    }

    /** {@code source} assembled into {@code dir/name.o}, ELFCLASS64 (x86_64) or ELFCLASS32 (i386). */
    static Path object(Path dir, String name, String source, boolean is64) throws Exception {
        Path s = dir.resolve(name + ".S");
        Path o = dir.resolve(name + ".o");
        Files.writeString(s, source);
        run("as", is64 ? "--64" : "--32", "-o", o.toString(), s.toString());
        return o;
    }

    /** C {@code source} compiled into {@code dir/name.o} by gcc -m64 or -m32 (-O2, as the kernel). */
    static Path compiled(Path dir, String name, String source, boolean is64) throws Exception {
        Path s = dir.resolve(name + ".c");
        Path o = dir.resolve(name + ".o");
        Files.writeString(s, source);
        run("gcc", is64 ? "-m64" : "-m32", "-O2", "-c", "-o", o.toString(), s.toString());
        return o;
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).inheritIO().start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", command));
    }
}
