package dev.idtgen.render;

import dev.idtgen.testsupport.KernelTree;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every committed generated file, and every patch of the tests series (the KUnit suites' C, which the rows of
 * generated/KERNEL/tests/ feed), passes the kernel's scripts/checkpatch.pl --strict with no error, no warning and
 * no check.
 */
@Tag("slow")
class CheckpatchIT {

    @TestFactory
    List<DynamicTest> generatedFilesPassCheckpatch() throws Exception {
        Path tree = KernelTree.get();
        List<Path> files;
        try (var s = java.nio.file.Files.walk(Path.of("generated"))) {
            files = s.filter(java.nio.file.Files::isRegularFile).sorted().toList();
        }
        assertTrue(files.size() >= 5, "no generated files: " + files);
        List<Path> patches;
        try (var s = java.nio.file.Files.walk(Path.of("kernel-patch"))) {
            patches = s.filter(p -> p.getNameCount() > 2 && p.getParent().getFileName().toString().equals("tests")
                    && p.getFileName().toString().endsWith(".patch")).sorted().toList();
        }
        assertTrue(patches.size() >= 2, "no tests series: " + patches);
        List<DynamicTest> tests = new java.util.ArrayList<>();
        files.forEach(f -> tests.add(DynamicTest.dynamicTest(f.toString(),
                () -> checkpatch(tree, "-f", f.toAbsolutePath().toString()))));
        // a patch is checked as the patch it is: the lines it adds
        patches.forEach(f -> tests.add(DynamicTest.dynamicTest(f.toString(),
                () -> checkpatch(tree, "--no-signoff", f.toAbsolutePath().toString()))));
        return tests;
    }

    private static void checkpatch(Path tree, String mode, String file) throws Exception {
        Process p = new ProcessBuilder("perl", "scripts/checkpatch.pl", "--no-tree", "--strict", mode, file)
                .directory(tree.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "checkpatch hung");
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("total: 0 errors, 0 warnings, 0 checks"), out);
    }
}
