package dev.idtgen.boot;

import dev.idtgen.testsupport.EveryKernel;

import dev.idtgen.run.BootPipelines;

import dev.idtgen.bochs.BochsPlan;
import dev.idtgen.kernel.Profile;
import dev.idtgen.kernel.Variant;
import dev.idtgen.kernel.Workspace;
import dev.idtgen.model.Arch;
import dev.idtgen.report.ReportWriter;
import dev.idtgen.report.Verdicts;
import dev.idtgen.run.MainJob;
import dev.idtgen.validate.Tables;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Boots the stock and the generated tiny kernels of both architectures of
 * every kernel series of the table in QEMU with the guest tests and turns
 * every vector into a test: one per vector per architecture per kernel
 * (skipped, with its reason, where TCG cannot raise it), one per vector that
 * stock and generated agree, and the gate sweep per kernel. Reuses the
 * kernels KernelCompareIT built.
 */
@Tag("slow")
class BootIT {

    private static List<String> cells(MainJob.RunReport r) {
        List<String> l = new ArrayList<>();
        r.rows().forEach(row -> row.cells().forEach((a, m) -> m.forEach((v, c) -> l.add(row.entry().handler() + " "
                + a.yamlName() + " " + v.cliName() + " " + c.verdict() + " " + c.detail()))));
        return l;
    }

    @TestFactory
    List<DynamicNode> everyVectorOnEveryKernel() throws Exception {
        return EveryKernel.containers(BootIT::kernel);
    }

    private static List<DynamicNode> kernel(String kernel) throws Exception {
        Tables.Checked t = EveryKernel.table(kernel);
        Workspace ws = EveryKernel.workspace(kernel);
        PrintWriter out = new PrintWriter(System.out, true);
        MainJob.RunReport r = new MainJob(ws, t.table(), Path.of("generated", kernel), System.getenv(), out)
                .run(List.of(Arch.X86_64, Arch.I386), Profile.TINY);
        assertTrue(Files.isRegularFile(r.reports().resolve("report.md")));
        assertTrue(Files.isRegularFile(r.reports().resolve("junit.xml")));
        List<DynamicNode> nodes = new ArrayList<>();
        for (Verdicts.Row row : r.rows()) {
            List<DynamicNode> cells = new ArrayList<>();
            for (Map.Entry<Arch, Map<Variant, Verdicts.Cell>> a : row.cells().entrySet()) {
                for (Map.Entry<Variant, Verdicts.Cell> v : a.getValue().entrySet()) {
                    Verdicts.Cell c = v.getValue();
                    cells.add(DynamicTest.dynamicTest(a.getKey().yamlName() + " " + v.getKey().cliName(), () -> {
                        switch (c.verdict()) {
                            case PASS -> {
                                assertFalse(c.results().isEmpty());
                                c.results().forEach(x -> assertTrue(x.status() == Ktap.Status.PASS
                                        || x.status() == Ktap.Status.SKIP, x.toString()));
                            }
                            case SKIP, NOT_BUILT -> Assumptions.abort(c.detail());
                            case FAIL, UNTESTED -> fail(c.verdict() + ": " + c.detail() + " " + c.results());
                            // its own outcome: a JUnit error, not a failure
                            case TIMEOUT -> throw new java.util.concurrent.TimeoutException(c.detail());
                        }
                    }));
                }
            }
            cells.add(DynamicTest.dynamicTest("stock and generated agree", () -> assertTrue(row.agree(),
                    row.cells().toString())));
            nodes.add(DynamicContainer.dynamicContainer(row.entry().handler(), cells));
        }
        nodes.add(identicalImages(ws, r));
        nodes.addAll(fred(kernel, r));
        for (ReportWriter.Suite s : r.suites()) {
            if (!s.name().endsWith("gate sweep")) {
                continue;
            }
            List<DynamicNode> sweep = new ArrayList<>();
            // 64- and 32-bit processes on x86_64 under QEMU; through FRED on Bochs only 64-bit ones (bochs.yaml)
            int processes = s.arch() == Arch.X86_64 && !s.name().startsWith("FRED ") ? 2 : 1;
            sweep.add(DynamicTest.dynamicTest("every vector swept", () -> assertEquals(256 * processes,
                    s.results().size())));
            for (TestResult x : s.results()) {
                sweep.add(DynamicTest.dynamicTest(x.name(), () -> assertEquals(Ktap.Status.PASS, x.status(),
                        String.join("; ", x.diagnostics()))));
            }
            nodes.add(DynamicContainer.dynamicContainer(s.name() + " " + s.arch().yamlName() + " "
                    + s.variant().cliName(), sweep));
        }
        for (ReportWriter.Suite s : r.suites()) {
            if (!s.name().endsWith("IDT audit")) {
                continue;
            }
            List<DynamicNode> audit = new ArrayList<>();
            List<TestResult> vectors = s.results().stream().filter(x -> x.name().startsWith(
                    dev.idtgen.report.Coverage.AUDIT)).toList();
            boolean viaFred = s.name().startsWith("FRED ");
            audit.add(DynamicTest.dynamicTest("all 256 vectors audited, the suite whole", () -> {
                assertEquals(256, vectors.size());
                assertTrue(s.results().stream().anyMatch(x -> x.name().equals("idt_audit suite")
                        && x.status() == Ktap.Status.PASS), s.results().toString());
            }));
            for (TestResult x : s.results()) {
                // through FRED the IDT is not used: the vector cases skip and fred_msrs must pass instead
                // and fred_msrs only runs there; on x86_64 the 32-bit relay leaves the kernel's log to audit-64
                Ktap.Status want = viaFred && (x.name().startsWith(dev.idtgen.report.Coverage.AUDIT)
                        || x.name().equals("idt_audit idt_loaded") || x.name().equals("idt_audit idt_read_only"))
                        || !viaFred && x.name().equals("idt_audit fred_msrs")
                        || x.name().equals("idt_audit relay") && x.unit().id().equals("audit-32")
                        ? Ktap.Status.SKIP : Ktap.Status.PASS;
                audit.add(DynamicTest.dynamicTest(x.name(), () -> assertEquals(want, x.status(),
                        String.join("; ", x.diagnostics()))));
            }
            nodes.add(DynamicContainer.dynamicContainer(s.name() + " " + s.arch().yamlName() + " "
                    + s.variant().cliName(), audit));
        }
        for (ReportWriter.Suite s : r.suites()) {
            if (!s.name().endsWith("kernel-mode entry")) {
                continue;
            }
            // templates/kernel_mode.yaml: through the IDT every exception with a raise passes; through FRED only
            // int3 and #NM by CR0.TS run (int $n from kernel mode is fatal there); the rest skip with a reason
            java.util.Set<Integer> raised = s.name().startsWith("FRED ") ? java.util.Set.of(3, 7)
                    : java.util.Set.of(0, 1, 3, 4, 5, 6, 7, 9, 16, 19);
            List<DynamicNode> entry = new ArrayList<>();
            entry.add(DynamicTest.dynamicTest("32 exception vectors, the suite whole", () -> {
                assertEquals(32, s.results().stream().filter(x -> x.name().startsWith(
                        dev.idtgen.report.Coverage.ENTRY)).count(), s.results().toString());
                assertTrue(s.results().stream().anyMatch(x -> x.name().equals("idt_entry suite")
                        && x.status() == Ktap.Status.PASS), s.results().toString());
            }));
            for (TestResult x : s.results()) {
                if (!x.name().startsWith(dev.idtgen.report.Coverage.ENTRY)) {
                    continue;
                }
                int v = Integer.parseInt(x.name().substring(dev.idtgen.report.Coverage.ENTRY.length() + 2), 16);
                Ktap.Status want = raised.contains(v) ? Ktap.Status.PASS : Ktap.Status.SKIP;
                entry.add(DynamicTest.dynamicTest(x.name(), () -> assertEquals(want, x.status(),
                        String.join("; ", x.diagnostics()))));
            }
            nodes.add(DynamicContainer.dynamicContainer(s.name() + " " + s.arch().yamlName() + " "
                    + s.variant().cliName(), entry));
        }
        nodes.add(DynamicTest.dynamicTest("every booted kernel was audited", () -> assertEquals(
                r.outcomes().size(), r.suites().stream().filter(s -> s.name().endsWith("IDT audit")
                        && !s.results().isEmpty()).count())));
        nodes.add(DynamicTest.dynamicTest("x86 selftests: the generated kernels give the stock kernels' results",
                () -> {
                    assertEquals(List.of(), r.selftestDisagreements());
                    assertTrue(r.suites().stream().filter(s -> s.name().endsWith("x86 selftests"))
                            .allMatch(s -> !s.results().isEmpty()), "every kernel ran the selftests");
                }));
        for (KernelOutcome o : r.outcomes()) {
            nodes.add(DynamicTest.dynamicTest("harness " + o.kernel().tag(), () ->
                    assertEquals(List.of(), o.results().stream().filter(x -> x.name().endsWith(" harness")
                            || x.name().startsWith("sysvec_reboot")).filter(x -> x.status() == Ktap.Status.FAIL)
                            .toList())));
        }
        System.out.printf("boot-test stage: %.1f s wall, %.1f s of boots (figures, not tests: see `idtgen bench "
                + "loop`)%n", r.bootSeconds(), r.stage().bootSeconds());
        nodes.add(DynamicTest.dynamicTest("idtgen report rebuilds the same verdicts from the saved boot logs", () -> {
            List<BootKernel> kernels = r.outcomes().stream().map(KernelOutcome::kernel).toList();
            BootPipeline suite = BootPipelines.create(ws, t.table(), System.getenv(), out).pipeline();
            MainJob.RunReport again = MainJob.report(ws, t.table(), dev.idtgen.run.BootStage.assemble(suite, kernels),
                    List.of(Arch.X86_64, Arch.I386), System.getenv());
            assertEquals(cells(r), cells(again));
            assertEquals(r.fred(), again.fred());
            assertEquals(r.suites(), again.suites());
        }));
        nodes.add(DynamicTest.dynamicTest("report.html renders in headless Chromium, every grid whole, the audit's"
                + " verdicts", () -> chromium(r)));
        nodes.add(DynamicTest.dynamicTest("no hang detector fired", () -> {
            if (!r.timeouts().isEmpty()) {
                throw new java.util.concurrent.TimeoutException(String.join("; ", r.timeouts()));
            }
        }));
        return nodes;
    }

    /**
     * The FRED boots (qemu-tests/bochs.yaml): the kernels it names booted on Bochs with FRED active, a test per
     * vector per kernel as for the IDT, stock and generated agreeing. Without Bochs: one visible skip.
     */
    private static List<DynamicNode> fred(String kernel, MainJob.RunReport r) throws Exception {
        BochsPlan plan = BochsPlan.load(Path.of(BochsPlan.FILE));
        boolean wanted = List.of(Arch.X86_64, Arch.I386).stream().anyMatch(a -> plan.boots(kernel, a, Profile.TINY));
        List<DynamicNode> nodes = new ArrayList<>();
        if (!wanted) {
            return nodes;
        }
        var unavailable = plan.unavailable(System.getenv());
        if (unavailable.isPresent()) {
            nodes.add(DynamicTest.dynamicTest("FRED boots on Bochs", () -> Assumptions.abort(unavailable.get())));
            return nodes;
        }
        List<KernelOutcome> viaFred = r.outcomes().stream()
                .filter(o -> o.kernel().delivery() == Delivery.FRED).toList();
        nodes.add(DynamicTest.dynamicTest("FRED boots on Bochs: stock and generated, FRED active", () -> {
            assertEquals(2, viaFred.size(), "a stock and a generated FRED kernel");
            for (KernelOutcome o : viaFred) {
                List<TestResult> active = o.results().stream().filter(x -> x.name().equals("fred_active harness"))
                        .toList();
                assertFalse(active.isEmpty(), o.kernel().tag());
                active.forEach(x -> assertEquals(Ktap.Status.PASS, x.status(), x.toString()));
            }
        }));
        for (Verdicts.Row row : r.fred().rows()) {
            List<DynamicNode> cells = new ArrayList<>();
            row.cells().forEach((a, m) -> m.forEach((v, c) -> cells.add(DynamicTest.dynamicTest(a.yamlName() + " "
                    + v.cliName(), () -> {
                        switch (c.verdict()) {
                            case PASS -> assertFalse(c.results().isEmpty());
                            case SKIP, NOT_BUILT -> Assumptions.abort(c.detail());
                            case FAIL, UNTESTED -> fail(c.verdict() + ": " + c.detail() + " " + c.results());
                            case TIMEOUT -> throw new java.util.concurrent.TimeoutException(c.detail());
                        }
                    }))));
            cells.add(DynamicTest.dynamicTest("stock and generated agree", () -> assertTrue(row.agree(),
                    row.cells().toString())));
            nodes.add(DynamicContainer.dynamicContainer("FRED " + row.entry().handler(), cells));
        }
        return nodes;
    }

    /**
     * Debian's chromium, headless, renders report.html: a screenshot, and the DOM after parsing, whose grids must
     * each have 256 cells carrying the verdict the run's suites give (the audit's, FAIL when the delivery failed).
     */
    static void chromium(MainJob.RunReport r) throws Exception {
        Path html = r.reports().resolve("report.html").toAbsolutePath();
        Path png = r.reports().resolve("report.png").toAbsolutePath();
        Files.deleteIfExists(png);
        List<String> base = List.of("chromium", "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--window-size=1600,1400");
        List<String> shot = new ArrayList<>(base);
        shot.addAll(List.of("--screenshot=" + png, html.toUri().toString()));
        assertEquals(0, new ProcessBuilder(shot).redirectErrorStream(true).redirectOutput(
                ProcessBuilder.Redirect.DISCARD).start().waitFor(), "chromium --screenshot");
        byte[] image = Files.readAllBytes(png);
        assertTrue(image.length > 10_000 && image[1] == 'P' && image[2] == 'N' && image[3] == 'G', "a PNG");
        List<String> dump = new ArrayList<>(base);
        dump.addAll(List.of("--dump-dom", html.toUri().toString()));
        Process p = new ProcessBuilder(dump).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String dom = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "chromium --dump-dom");
        String[] grids = dom.split("<table class=\"grid\" data-kernel=\"");
        List<KernelOutcome> idt = r.outcomes().stream().filter(o -> o.kernel().delivery() == Delivery.IDT)
                .toList();
        assertEquals(idt.size(), grids.length - 1, "one grid per kernel booted through the IDT");
        java.util.regex.Pattern cell = java.util.regex.Pattern.compile(
                "data-vector=\"0x([0-9a-f]{2})\" data-verdict=\"(\\w+)\"");
        for (KernelOutcome o : idt) {
            String title = o.arch().yamlName() + "/" + o.kernel().profile().cliName() + " " + o.variant().cliName();
            String grid = java.util.Arrays.stream(grids).filter(g -> g.startsWith(title + "\"")).findFirst()
                    .orElseThrow(() -> new AssertionError("no grid for " + title));
            grid = grid.substring(0, grid.indexOf("</table>"));
            java.util.regex.Matcher m = cell.matcher(grid);
            int n = 0;
            while (m.find()) {
                String v = "0x" + m.group(1);
                String want = o.named(dev.idtgen.report.Coverage.AUDIT + v).stream().map(x -> x.status().name())
                        .findFirst().orElse("NONE");
                if (java.util.stream.Stream.concat(o.named(dev.idtgen.report.Coverage.DELIVERY + v).stream(),
                        o.named(dev.idtgen.report.Coverage.ENTRY + v).stream())
                        .anyMatch(x -> x.status() == Ktap.Status.FAIL)) {
                    want = "FAIL";
                }
                int vector = n;
                if (r.rows().stream().filter(row -> row.entry().number() != null && row.entry().number() == vector)
                        .map(row -> row.cell(o.arch(), o.variant())).filter(c -> c != null
                                && c.verdict() != Verdicts.Verdict.NOT_BUILT).findFirst()
                        .filter(c -> c.verdict() == Verdicts.Verdict.FAIL).isPresent()) {
                    want = "FAIL";
                }
                assertEquals(String.format("0x%02x", n), v, title + ": cells in vector order");
                assertEquals(want, m.group(2), title + " " + v + ": the map against the suites and the rows");
                n++;
            }
            assertEquals(256, n, title);
        }
    }

    /**
     * Where stock and generated built the same bzImage from the same .config, the generated kernel was not booted:
     * its directory holds no boot, and the report and junit.xml say where its results came from; where they
     * differ, both were booted.
     */
    private static DynamicNode identicalImages(Workspace ws, MainJob.RunReport r) {
        return DynamicTest.dynamicTest("an identical image is booted once, and the reports say so", () -> {
            String md = Files.readString(r.reports().resolve("report.md"));
            String junit = Files.readString(r.reports().resolve("junit.xml"));
            for (Arch a : List.of(Arch.X86_64, Arch.I386)) {
                Path s = ws.build(Variant.STOCK, a, Profile.TINY);
                Path g = ws.build(Variant.GENERATED, a, Profile.TINY);
                dev.idtgen.kernel.ImageIdentity id = dev.idtgen.kernel.ImageIdentity.of(
                        Files.readAllBytes(s.resolve("arch/x86/boot/bzImage")),
                        Files.readAllBytes(g.resolve("arch/x86/boot/bzImage")),
                        Files.readAllBytes(s.resolve(".config")), Files.readAllBytes(g.resolve(".config")));
                List<dev.idtgen.boot.SharedImage> shared = r.stage().shared().stream()
                        .filter(x -> x.booted().arch() == a).toList();
                System.out.println("BootIT: " + a.yamlName() + ": " + id.proof() + "; shared: " + shared);
                assertEquals(id.identical(), !shared.isEmpty(), a + ": " + id.proof());
                for (dev.idtgen.boot.SharedImage x : shared) {
                    assertEquals(Variant.GENERATED, x.credited().variant());
                    assertEquals(List.of(), bootDirs(x.credited().dir()),
                            "the credited kernel was not booted");
                    assertTrue(md.contains(x.line()), md);
                    assertTrue(junit.contains(x.creditNote()), "junit.xml names the credit");
                }
            }
        });
    }

    /** The boot directories (each with a boot record) of a kernel's directory. */
    private static List<Path> bootDirs(Path kernelDir) throws java.io.IOException {
        try (var l = Files.list(kernelDir)) {
            return l.filter(d -> Files.isRegularFile(d.resolve(dev.idtgen.boot.BootRecord.FILE))).sorted().toList();
        }
    }
}
