package dev.idtgen.boot;

import dev.idtgen.run.BootPipelines;

import dev.idtgen.kernel.KernelBuilder;
import dev.idtgen.kernel.Profile;
import dev.idtgen.kernel.Variant;
import dev.idtgen.kernel.Workspace;
import dev.idtgen.model.Arch;
import dev.idtgen.run.MainJob;
import dev.idtgen.validate.Tables;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The host's hang detector on a real boot: with a limit far below what
 * sweep-64 needs (it uses about 1.3 s of emulator CPU; the limit is 0.1 s), the host kills the
 * guest in that program, records a timeout with its limit and how far the
 * program got, and the next boot goes on with the program after it.
 */
@Tag("slow")
class HangDetectorIT {

    /** sweep-64's limit here, in emulator CPU seconds: far below what it needs, so that it is killed early. */
    static final double LIMIT = 0.1;

    @Test
    void aProgramOverItsLimitIsATimeoutAndTheNextBootGoesOn() throws Exception {
        Tables.Checked t = Tables.read(Path.of("vectors.yaml"));
        assertTrue(t.ok(), t.problems().toString());
        Workspace ws = new Workspace(Path.of("work").toAbsolutePath(), Path.of("").toAbsolutePath(), "6.1");
        PrintWriter out = new PrintWriter(System.out, true);
        KernelBuilder.Build b = new KernelBuilder(ws, out).build(Variant.STOCK, Arch.X86_64, Profile.TINY,
                Path.of("generated", "6.1").toAbsolutePath());
        BootPlan p = BootPlan.load(Path.of(MainJob.PLAN));
        // only sweep-64's budget changes: its limit (budget x margin) becomes LIMIT; the boot and every other
        // phase keep the plan's limits (a slower machine's boot must not be what gets killed)
        BootPlan tight = new BootPlan(p.qemu(), p.append(), p.limits(),
                Map.of("sweep-64", LIMIT / p.limits().margin()), p.groups(), p.crashes(), p.inject(), p.profiles());
        assertEquals(LIMIT, tight.limit("sweep-64"), 1e-9);
        BootPipeline suite = BootPipelines.create(ws, t.table(), tight, System.getenv(), out).pipeline();
        BootKernel k = suite.kernels().kernel(b, suite.guests(), Path.of("target", "it-hang").toAbsolutePath()
                .resolve("x86_64-tiny").resolve("stock"));
        List<BootRecord> chain = suite.runner().execute(suite.planner().jobs(k, List.of("sweep-64", "traps-64")).get(0));
        assertEquals(2, chain.size(), "killed in sweep-64, then a boot for traps-64; the boots: " + chain.stream()
                .map(r -> r.dir() + " " + (r.kill() == null ? "not killed" : "killed in "
                        + (r.kill().program() == null ? "the boot phase" : r.kill().program()) + ": "
                        + r.kill().describe()) + ", programs " + r.programs() + ", usage " + r.usage()).toList());
        Emulator.Kill kill = chain.get(0).kill();
        assertNotNull(kill, "the first boot was killed");
        assertEquals("sweep-64", kill.program());
        assertTrue(kill.cpuSeconds() > LIMIT && Math.abs(kill.limit() - LIMIT) < 1e-9, kill.describe());
        assertEquals(List.of("traps-64"), chain.get(1).programs());
        List<TestResult> rs = suite.results(k, chain);
        TestResult harness = rs.stream().filter(r -> r.name().equals("sweep-64 harness")).findFirst().orElseThrow();
        assertEquals(Ktap.Status.TIMEOUT, harness.status());
        assertTrue(harness.reason().contains("(limit " + LIMIT + " s of emulator CPU)"),
                harness.reason());
        assertTrue(harness.reason().contains("progress: "), harness.reason());
        assertTrue(rs.stream().noneMatch(r -> r.status() == Ktap.Status.FAIL), rs.toString());
        assertTrue(rs.stream().filter(r -> r.unit().id().equals("traps-64") && r.status() == Ktap.Status.PASS)
                .count() >= 15, "traps-64 ran in the next boot: " + rs);
    }
}
