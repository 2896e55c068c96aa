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
import dev.idtgen.run.MainJob;
import dev.idtgen.validate.Tables;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The negative test of the FRED boots: an overlay (fixtures/fred-misroute)
 * adds the demo vector 0x81 of fixtures/custom-vector with a DPL 3 IDT gate
 * but drops its FRED route, with the validator's fred-intx rule waived. The
 * generated 6.12 kernel builds; booted through the IDT (QEMU) its gate sweep
 * reaches the handler at 0x81, booted through FRED (Bochs) the same bytes
 * raise #GP there, and the FRED boot fails for exactly that vector.
 */
@Tag("slow")
class FredMisrouteIT {

    static final Path FIXTURE = Path.of("qemu-tests", "fixtures", "fred-misroute");
    static final Path PATCHES = Path.of("qemu-tests", "fixtures", "custom-vector", "patches");
    /**
     * CustomVectorIT's work directory: the same patched tree, so the second of the two tests only recompiles what
     * includes the changed generated files (entry_fred.c) instead of building a kernel of its own.
     */
    static final Path WORK = CustomVectorIT.WORK;

    @Test
    void aDroppedFredRouteFailsTheFredBootOfThatVectorOnly() throws Exception {
        BochsPlan plan = BochsPlan.load(Path.of(BochsPlan.FILE));
        var unavailable = plan.unavailable(System.getenv());
        Assumptions.assumeTrue(unavailable.isEmpty(), () -> unavailable.orElse(""));

        Path overlay = FIXTURE.resolve("overlay.yaml");
        Tables.Checked t = Tables.read(Path.of("vectors.yaml"), List.of(overlay), "6.12");
        assertTrue(t.ok(), "the rule is waived, so the table is valid: " + t.problems());
        Path generated = WORK.resolve("generated-misroute");
        assertEquals(0, Main.run("generate", "-q", "--vectors", "vectors.yaml", "--overlay", overlay.toString(),
                "--out", generated.toString()));
        String intx = Files.readString(generated.resolve("6.12/arch/x86/entry/entry_fred_table.h"));
        assertFalse(intx.contains("IDTGEN_DEMO_VECTOR"), "fred_intx() has no case for the demo vector");

        Workspace ws = new Workspace(WORK, Path.of("").toAbsolutePath(), "6.12", List.of(PATCHES.toAbsolutePath()));
        PrintWriter out = new PrintWriter(System.out, true);
        KernelBuilder.Build g = new KernelBuilder(ws, out).build(Variant.GENERATED, Arch.X86_64, Profile.TINY,
                generated.resolve("6.12"));
        BootPipeline suite = BootPipelines.create(ws, t.table(), System.getenv(), out).pipeline();
        Path guests = suite.guests();
        BootKernel idt = suite.kernels().kernel(g, guests);
        BootKernel fred = suite.kernels().fredKernel(g, guests);
        BootStage.StageResult stage = new BootStage(suite, Scheduler.forHost(System.getenv()), out).run(List.of(idt, fred),
                a -> new BootStage.Identity(false, "one kernel, no pair"), k -> suite.planner().jobs(k, List.of("sweep-64")));

        KernelOutcome viaIdt = stage.outcomes().get(0);
        KernelOutcome viaFred = stage.outcomes().get(1);
        assertEquals(Delivery.FRED, viaFred.kernel().delivery());
        assertEquals(256, viaIdt.named("sweep ").size());
        assertEquals(256, viaFred.named("sweep ").size());
        TestResult idt81 = viaIdt.named("sweep int_129").get(0);
        assertEquals(Ktap.Status.PASS, idt81.status(), idt81.toString());
        assertTrue(String.join("\n", idt81.diagnostics()).contains("eax=0x49445447"),
                "through the IDT, int $0x81 reaches exc_idtgen_demo: " + idt81);
        assertTrue(viaFred.results().stream().anyMatch(r -> r.name().equals("fred_active harness")
                && r.status() == Ktap.Status.PASS), "FRED was active: " + viaFred.results());
        List<TestResult> failed = viaFred.named("sweep ").stream().filter(r -> r.status() != Ktap.Status.PASS)
                .toList();
        assertEquals(List.of("sweep int_129"), failed.stream().map(TestResult::name).toList(),
                "through FRED only the dropped route fails: " + failed);
        assertEquals(Ktap.Status.FAIL, failed.get(0).status(), failed.get(0).toString());

        MainJob.RunReport r = MainJob.report(ws, t.table(), stage, List.of(Arch.X86_64), System.getenv());
        assertTrue(r.failures().stream().anyMatch(f -> f.startsWith("FRED gate sweep") && f.contains("int_129")),
                r.failures().toString());
    }
}
