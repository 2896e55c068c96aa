package dev.idtgen.boot;

import dev.idtgen.testsupport.EveryKernel;

import dev.idtgen.run.BootPipelines;

import dev.idtgen.kernel.KernelBuilder;
import dev.idtgen.kernel.Profile;
import dev.idtgen.kernel.Variant;
import dev.idtgen.kernel.Workspace;
import dev.idtgen.model.Arch;
import dev.idtgen.report.Coverage;
import dev.idtgen.run.BootStage;
import dev.idtgen.run.MainJob;
import dev.idtgen.validate.Tables;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The full profile booted (x86_64) on the newest kernel series of the table: every option that adds, removes or
 * changes a vector is on (KVM guest, Hyper-V, Xen, ACRN, the KVM posted
 * interrupts, thermal and threshold vectors, PTI and retpolines; on 6.12
 * also FRED, IBT with #CP, posted MSI). These are the kernels KernelCompareIT
 * compares, in the same work directory: whichever test runs first builds
 * them. Under QEMU TCG, with the programs boots.yaml gives the profile (the
 * audit, the traps, the gate sweep, the interrupt tests): the KUnit audit must find all 256 descriptors as the
 * table says for this .config, every external vector must be delivered or
 * skipped with its reason, and stock and generated must give the same
 * result on every test point.
 */
@Tag("slow")
class FullProfileIT {

    @TestFactory
    List<DynamicNode> theFullProfileBootsAndItsIdtIsTheTables() throws Exception {
        return EveryKernel.newest(FullProfileIT::kernel);
    }

    private static List<DynamicNode> kernel(String kernel) throws Exception {
        Tables.Checked t = EveryKernel.table(kernel);
        Workspace ws = EveryKernel.workspace(kernel);
        PrintWriter out = new PrintWriter(System.out, true);
        KernelBuilder kb = new KernelBuilder(ws, out);
        Path generated = Path.of("generated", kernel).toAbsolutePath();
        KernelBuilder.Build s = kb.build(Variant.STOCK, Arch.X86_64, Profile.FULL, generated);
        KernelBuilder.Build g = kb.build(Variant.GENERATED, Arch.X86_64, Profile.FULL, generated);
        BootPipeline suite = BootPipelines.create(ws, t.table(), System.getenv(), out).pipeline();
        Path guests = suite.guests();
        BootStage.StageResult stage = new BootStage(suite, Scheduler.forHost(System.getenv()), out).run(
                List.of(suite.kernels().kernel(s, guests), suite.kernels().kernel(g, guests)),
                a -> new MainJob(ws, t.table(), generated, System.getenv(), out).identity(s, g), suite.planner()::allJobs);
        MainJob.RunReport r = MainJob.report(ws, t.table(), stage, List.of(Arch.X86_64), System.getenv());
        List<DynamicNode> nodes = new ArrayList<>();
        for (KernelOutcome o : stage.outcomes()) {
            String tag = o.kernel().tag();
            List<TestResult> audit = o.named(Coverage.AUDIT);
            List<TestResult> delivery = o.named(Coverage.DELIVERY);
            nodes.add(DynamicTest.dynamicTest(tag + ": the audit finds all 256 descriptors as the table says", () -> {
                assertEquals(256, audit.size(), o.results().toString());
                audit.forEach(x -> assertEquals(Ktap.Status.PASS, x.status(), x.name() + " " + x.diagnostics()));
                assertEquals(Ktap.Status.PASS, o.named("idt_audit suite").get(0).status());
                assertEquals(Ktap.Status.PASS, o.named("idt_audit idt_read_only").get(0).status());
            }));
            nodes.add(DynamicTest.dynamicTest(tag + ": every external vector delivered or skipped with its reason",
                    () -> {
                        assertEquals(224, delivery.size(), o.results().toString());
                        delivery.forEach(x -> assertNotEquals(Ktap.Status.FAIL, x.status(), x.name() + " "
                                + x.diagnostics()));
                        delivery.stream().filter(x -> x.status() == Ktap.Status.SKIP)
                                .forEach(x -> assertTrue(!x.reason().isBlank(), x.name()));
                        assertEquals(Ktap.Status.PASS, o.named("idt_delivery suite").get(0).status());
                    }));
            nodes.add(DynamicTest.dynamicTest(tag + ": traps and the gate sweep pass", () -> {
                List<TestResult> failed = o.results().stream().filter(x -> x.unit().id().startsWith("traps-")
                        || x.unit().id().startsWith("sweep-")).filter(x -> x.status() == Ktap.Status.FAIL
                        || x.status() == Ktap.Status.TIMEOUT).toList();
                assertEquals(List.of(), failed);
            }));
        }
        nodes.add(DynamicTest.dynamicTest("stock and generated agree on every test point (after the disagreement"
                + " protocol)", () -> {
            assertEquals(Variant.STOCK, stage.outcomes().get(0).variant());
            assertEquals(statuses(stage.outcomes().get(0)).keySet(), statuses(stage.outcomes().get(1)).keySet());
            assertEquals(List.of(), stage.notes().stream().filter(n -> !n.agree()).map(n -> n.describe()).toList());
            assertEquals(List.of(), r.failures().stream().filter(f -> f.contains("disagree")).toList());
            assertEquals(List.of(), r.suites().stream().filter(x -> x.name().equals("IDT audit")
                    || x.name().equals("gate sweep")).flatMap(x -> x.results().stream())
                    .filter(x -> x.status() == Ktap.Status.FAIL).toList());
        }));
        nodes.add(DynamicTest.dynamicTest("the coverage lines", () -> r.coverage().forEach(c -> {
            System.out.println(c.line());
            assertEquals(256, c.audited(), c.line());
        })));
        return nodes;
    }

    private static Map<String, Ktap.Status> statuses(KernelOutcome o) {
        Map<String, Ktap.Status> m = new LinkedHashMap<>();
        o.results().forEach(x -> m.put(x.unit().id() + " " + x.name(), x.status()));
        return m;
    }
}
