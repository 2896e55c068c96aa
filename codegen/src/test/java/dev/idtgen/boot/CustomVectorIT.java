package dev.idtgen.boot;

import dev.idtgen.run.BootPipelines;

import dev.idtgen.bochs.BochsPlan;
import dev.idtgen.cli.Main;
import dev.idtgen.kernel.KernelBuilder;
import dev.idtgen.kernel.Profile;
import dev.idtgen.kernel.Variant;
import dev.idtgen.kernel.Workspace;
import dev.idtgen.model.Arch;
import dev.idtgen.run.BootStage;
import dev.idtgen.run.DisagreementProtocol;
import dev.idtgen.run.MainJob;
import dev.idtgen.validate.Tables;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The table drives everything: an overlay adds one DPL 3 software interrupt
 * (0x81) whose handler a fixture patch adds; the kernel generated from the
 * table plus overlay is built and booted, user space reaches the new
 * handler with int $0x81 (it leaves "IDTG" in eax), and the gate sweep,
 * whose expectations come from the table, holds for every other vector.
 *
 * <p>It is also the negative test of the disagreement protocol: the stock
 * kernel, swept against the same table, really differs at 0x81. Even with
 * the protocol forced on (the identity check told "identical"), the
 * re-runs show the difference on every run and the run fails on it.
 *
 * <p>On 6.12, with Bochs ({@code IDTGEN_BOCHS}), the generated kernel is also
 * booted through FRED: fred_intx() has the overlay's route, so int $0x81
 * reaches the handler there too (FredMisrouteIT drops that route).
 */
@Tag("slow")
class CustomVectorIT {

    static final Path FIXTURE = Path.of("qemu-tests", "fixtures", "custom-vector");
    static final Path WORK = Path.of("target", "it-custom-vector").toAbsolutePath();
    /**
     * 6.12: the kernel with FRED, whose fred_intx() the overlay's route intx reaches too; FredMisrouteIT builds
     * the same patched tree with that route dropped, so one of the two builds finds ccache warm.
     */
    static final String KERNEL = "6.12";

    @Test
    void userSpaceReachesTheNewVectorTheSweepHoldsAndTheProtocolDoesNotHideTheDifference() throws Exception {
        Built b = build();
        Tables.Checked t = b.table();
        Workspace ws = b.ws();
        PrintWriter out = b.out();
        KernelBuilder.Build g = b.kernel();
        // the stock kernel does not depend on the overlay: the main work directory's (which the other ITs build)
        KernelBuilder.Build s = new KernelBuilder(new Workspace(Path.of("work").toAbsolutePath(),
                Path.of("").toAbsolutePath(), KERNEL), out).build(Variant.STOCK, Arch.X86_64, Profile.TINY,
                Path.of("generated", KERNEL).toAbsolutePath());
        BootPipeline suite = BootPipelines.create(ws, t.table(), System.getenv(), out).pipeline();
        Path guests = suite.guests();
        List<BootKernel> kernels = List.of(suite.kernels().kernel(s, guests), suite.kernels().kernel(g, guests));
        BootStage.StageResult stage = new BootStage(suite, Scheduler.forHost(System.getenv()), out).run(kernels,
                a -> new BootStage.Identity(true, "told identical by the test, to force the protocol"),
                k -> suite.planner().jobs(k, List.of("sweep-64", "sweep-32")));

        KernelOutcome gen = stage.outcomes().get(1);
        assertEquals(Variant.GENERATED, gen.variant());
        List<TestResult> sweep = gen.named("sweep ");
        assertEquals(512, sweep.size(), "every vector swept, from a 64-bit and a 32-bit process");
        for (TestResult r : sweep) {
            assertEquals(Ktap.Status.PASS, r.status(), r.name() + " " + r.diagnostics());
        }
        List<TestResult> demo = sweep.stream().filter(r -> r.name().equals("sweep int_129")).toList();
        assertEquals(List.of("sweep-32", "sweep-64"), demo.stream().map(r -> r.unit().id()).sorted().toList());
        for (TestResult r : demo) {
            assertTrue(String.join("\n", r.diagnostics()).contains("int_129 returned, eax=0x49445447"),
                    "int $0x81 must reach exc_idtgen_demo, which leaves IDTG in eax: " + r.diagnostics());
        }

        // the stock kernel has no gate at 0x81: the protocol re-runs both sweeps and the difference stands
        List<DisagreementProtocol.Note> notes = stage.notes();
        List<DisagreementProtocol.Note> at81 = notes.stream().filter(n -> n.name().equals("sweep int_129")).toList();
        assertEquals(2, at81.size(), notes.toString());
        for (DisagreementProtocol.Note n : at81) {
            assertFalse(n.agree(), n.describe());
            assertTrue(n.deterministic(), n.describe());
            assertEquals(1 + suite.plan().limits().reruns(), n.stock().size());
            assertEquals(1 + suite.plan().limits().reruns(), n.generated().size());
        }
        assertEquals(at81.size(), notes.stream().filter(n -> !n.agree()).count(), "only 0x81 differs: " + notes);
        MainJob.RunReport r = MainJob.report(ws, t.table(), stage, List.of(Arch.X86_64), System.getenv());
        assertTrue(r.failures().stream().anyMatch(f -> f.contains("sweep int_129")), r.failures().toString());

    }

    /** The table plus overlay, the work directory, and the generated kernel built from them (reused when built). */
    record Built(Tables.Checked table, Workspace ws, PrintWriter out, KernelBuilder.Build kernel) {
    }

    static Built build() throws Exception {
        Path overlay = FIXTURE.resolve("overlay.yaml");
        Tables.Checked t = Tables.read(Path.of("vectors.yaml"), List.of(overlay), KERNEL);
        assertTrue(t.ok(), t.problems().toString());
        Path generated = WORK.resolve("generated");
        assertEquals(0, Main.run("generate", "-q", "--vectors", "vectors.yaml", "--overlay", overlay.toString(),
                "--out", generated.toString()));
        Workspace ws = new Workspace(WORK, Path.of("").toAbsolutePath(), KERNEL,
                List.of(FIXTURE.resolve("patches").toAbsolutePath()));
        PrintWriter out = new PrintWriter(System.out, true);
        KernelBuilder.Build g = new KernelBuilder(ws, out).build(Variant.GENERATED, Arch.X86_64, Profile.TINY,
                generated.resolve(KERNEL));
        assertEquals(List.of(), g.objtoolWarnings());
        return new Built(t, ws, out, g);
    }

    /** Through FRED (Bochs), the same kernel reaches the new vector through the generated fred_intx(). */
    @Test
    void fredReachesTheNewVectorThroughTheGeneratedFredIntx() throws Exception {
        BochsPlan plan = BochsPlan.load(Path.of(BochsPlan.FILE));
        var unavailable = plan.unavailable(System.getenv());
        Assumptions.assumeTrue(unavailable.isEmpty(), () -> unavailable.orElse(""));
        Built b = build();
        PrintWriter out = b.out();
        BootPipeline suite = BootPipelines.create(b.ws(), b.table().table(), System.getenv(), out).pipeline();
        Path guests = suite.guests();
        BootKernel fred = suite.kernels().fredKernel(b.kernel(), guests);
        BootStage.StageResult viaFred = new BootStage(suite, Scheduler.forHost(System.getenv()), out).run(List.of(fred),
                a -> new BootStage.Identity(false, "one kernel"), k -> suite.planner().jobs(k, List.of("sweep-64")));
        List<TestResult> fredSweep = viaFred.outcomes().get(0).named("sweep ");
        assertEquals(256, fredSweep.size());
        for (TestResult x : fredSweep) {
            assertEquals(Ktap.Status.PASS, x.status(), x.name() + " " + x.diagnostics());
        }
        TestResult fred81 = viaFred.outcomes().get(0).named("sweep int_129").get(0);
        assertTrue(String.join("\n", fred81.diagnostics()).contains("eax=0x49445447"),
                "through FRED, int $0x81 reaches exc_idtgen_demo: " + fred81);
        assertTrue(viaFred.outcomes().get(0).results().stream().anyMatch(x -> x.name().equals("fred_active harness")
                && x.status() == Ktap.Status.PASS), "FRED was active");
    }
}
