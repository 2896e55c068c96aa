package dev.idtgen.qemu;

import dev.idtgen.cli.Main;
import dev.idtgen.kernel.KernelBuilder;
import dev.idtgen.kernel.Profile;
import dev.idtgen.kernel.Variant;
import dev.idtgen.kernel.Workspace;
import dev.idtgen.model.Arch;
import dev.idtgen.validate.Tables;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The table drives everything: an overlay adds one DPL 3 software interrupt
 * (0x81) whose handler a fixture patch adds; the kernel generated from the
 * table plus overlay is built and booted, user space reaches the new
 * handler with int $0x81 (it leaves "IDTG" in eax), and the gate sweep,
 * whose expectations come from the table, holds for every other vector.
 */
@Tag("slow")
class CustomVectorIT {

    static final Path FIXTURE = Path.of("qemu-tests", "fixtures", "custom-vector");
    static final Path WORK = Path.of("target", "it-custom-vector").toAbsolutePath();

    @Test
    void userSpaceReachesTheNewVectorAndTheSweepHolds() throws Exception {
        Path overlay = FIXTURE.resolve("overlay.yaml");
        Tables.Checked t = Tables.read(Path.of("vectors.yaml"), List.of(overlay));
        assertTrue(t.ok(), t.problems().toString());
        Path generated = WORK.resolve("generated");
        assertEquals(0, Main.run("generate", "-q", "--vectors", "vectors.yaml", "--overlay", overlay.toString(),
                "--out", generated.toString()));
        Workspace ws = new Workspace(WORK, Path.of("").toAbsolutePath(),
                List.of(FIXTURE.resolve("patches").toAbsolutePath()));
        PrintWriter out = new PrintWriter(System.out, true);
        KernelBuilder.Build b = new KernelBuilder(ws, out).build(Variant.GENERATED, Arch.X86_64, Profile.TINY,
                generated);
        assertEquals(List.of(), b.objtoolWarnings());
        BootSuite.Outcome o = new BootSuite(ws, t.table(), out).run(b);
        List<Ktap.Result> sweep = o.named("sweep ");
        assertEquals(512, sweep.size(), "every vector swept, from a 64-bit and a 32-bit process");
        for (Ktap.Result r : sweep) {
            assertEquals(Ktap.Status.PASS, r.status(), r.name() + " " + r.diagnostics());
        }
        List<Ktap.Result> demo = sweep.stream().filter(r -> r.name().equals("sweep int_129")).toList();
        assertEquals(List.of("sweep-32", "sweep-64"), demo.stream().map(Ktap.Result::program).sorted().toList());
        for (Ktap.Result r : demo) {
            assertTrue(String.join("\n", r.diagnostics()).contains("int_129 returned, eax=0x49445447"),
                    "int $0x81 must reach exc_idtgen_demo, which leaves IDTG in eax: " + r.diagnostics());
        }
    }
}
