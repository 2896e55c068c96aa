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

/** Every committed generated file passes the kernel's scripts/checkpatch.pl with no error and no warning. */
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
        return files.stream().map(f -> DynamicTest.dynamicTest(f.toString(), () -> {
            Path file = f.toAbsolutePath();
            Process p = new ProcessBuilder("perl", "scripts/checkpatch.pl", "--no-tree", "--strict", "-f",
                    file.toString()).directory(tree.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(2, TimeUnit.MINUTES), "checkpatch hung");
            assertEquals(0, p.exitValue(), out);
            assertTrue(out.contains("total: 0 errors, 0 warnings, 0 checks"), out);
        })).toList();
    }
}
