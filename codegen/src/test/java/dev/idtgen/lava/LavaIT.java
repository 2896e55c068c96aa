package dev.idtgen.lava;

import dev.idtgen.boot.TestResult;
import dev.idtgen.run.BootPipelines;

import dev.idtgen.cli.Main;
import dev.idtgen.kernel.KernelBuilder;
import dev.idtgen.kernel.Profile;
import dev.idtgen.kernel.Variant;
import dev.idtgen.kernel.Workspace;
import dev.idtgen.model.Arch;
import dev.idtgen.boot.BootPipeline;
import dev.idtgen.boot.BootKernel;
import dev.idtgen.boot.KernelOutcome;
import dev.idtgen.boot.Judge;
import dev.idtgen.boot.Ktap;
import dev.idtgen.boot.Scheduler;
import dev.idtgen.report.Verdicts;
import dev.idtgen.run.BootStage;
import dev.idtgen.run.MainJob;
import dev.idtgen.validate.Tables;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12: the LAVA jobs of every boot of the main job (6.1 and 6.12, both
 * arches, both variants) are written and pass LAVA's own schema validation
 * (lava_common, strict, offline); the 6.1 guest and two-vCPU boots of an
 * x86_64 and an i386 kernel pair then run through the real lava-run (the
 * guest boot's NMI injected through the QEMU monitor, its crash-bug oops and
 * the two-vCPU boot's clean shutdown judged from the console), and their
 * per-vector verdicts, selftest results, crash result and clean shutdown
 * equal the direct runner's for the same boots.
 */
@Tag("slow")
class LavaIT {

    static final Path OUT = Path.of("target", "it-lava").toAbsolutePath();
    static final Set<String> BOOTS = Set.of("guest", "smp");

    /** lava_common's validators over every job and device dictionary; prints "N ok" or the first problems. */
    static final String VALIDATE = """
            import sys, yaml
            from lava_common.schemas import validate
            from lava_common.schemas.device import validate as validate_device
            bad = 0
            for f in sys.argv[1:]:
                data = yaml.safe_load(open(f))
                try:
                    validate_device(data) if "/devices/" in f else validate(data, strict=True)
                except Exception as e:
                    bad += 1
                    print(f, e)
            print(len(sys.argv) - 1 - bad, "ok" if bad == 0 else "ok, %d invalid" % bad)
            sys.exit(1 if bad else 0)
            """;

    @Test
    void everyJobValidatesAndLavaGivesTheDirectRunnersVerdicts() throws Exception {
        String why = LavaRunner.unavailable();
        Assumptions.assumeTrue(why == null, () -> "LAVA jobs not run: " + why);
        List<String> kernels = List.of("6.1", "6.12");
        for (String k : kernels) {
            assertEquals(0, Main.run("lava", "--kernel", k, "--out", OUT.toString()), "idtgen lava --kernel " + k);
        }
        List<LavaIndex.Written> index = LavaIndex.readIndex(OUT);
        assertEquals(Set.copyOf(kernels), Set.copyOf(index.stream().map(LavaIndex.Written::kernel).toList()));
        List<String> files = new ArrayList<>();
        for (LavaIndex.Written w : index) {
            if (!w.qemuJob().isEmpty()) {
                files.add(OUT.resolve(w.qemuJob()).toString());
            }
            if (!w.boardJob().isEmpty()) {
                files.add(OUT.resolve(w.boardJob()).toString());
            }
        }
        try (var devices = Files.list(OUT.resolve("devices"))) {
            devices.forEach(d -> files.add(d.toString()));
        }
        assertTrue(files.size() > 40, files.toString());
        // 6.12's FRED kernels: board jobs only, for a board with a FRED CPU, without Bochs' arguments
        List<LavaIndex.Written> fred = index.stream().filter(w -> w.delivery().equals("fred")
                && !w.boardJob().isEmpty()).toList();
        assertEquals(2, fred.size(), "the stock and generated 6.12 x86_64 kernels' FRED boot: " + index);
        for (LavaIndex.Written w : fred) {
            assertEquals("", w.qemuJob(), "QEMU has no FRED CPU");
            String job = Files.readString(OUT.resolve(w.boardJob()));
            assertTrue(job.contains("tags:\n- fred\n") && job.contains(" fred=on ") && !job.contains("idtgen.out=e9")
                    && !job.contains("idtgen.exit=bochs"), job);
        }
        Path script = OUT.resolve("validate.py");
        Files.writeString(script, VALIDATE, StandardCharsets.UTF_8);
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", script.toString()));
        cmd.addAll(files);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), said);
        assertTrue(said.strip().endsWith(files.size() + " ok"), said);

        // through LAVA: the guest and two-vCPU boots of the four 6.1 kernels
        List<LavaIndex.Written> run = index.stream().filter(w -> w.kernel().equals("6.1") && BOOTS.contains(w.boot())
                && !w.qemuJob().isEmpty()).toList();
        assertEquals(8, run.size(), run.toString());
        PrintWriter out = new PrintWriter(System.out, true);
        Map<String, Path> logs = new LinkedHashMap<>();
        for (LavaRunner.Run r : new LavaRunner(OUT, out).run(run)) {
            assertEquals(0, r.exit(), r.log() + " (" + r.seconds() + " s)");
            logs.put(r.job().id(), r.log());
        }
        List<LavaReport.LavaKernel> viaLava = LavaReport.kernels(OUT, run, logs, false);
        assertEquals(4, viaLava.size());

        // directly: the same programs of the same kernels
        Tables.Checked t = Tables.read(Path.of("vectors.yaml"), List.of(), "6.1");
        Workspace ws = new Workspace(Path.of("work").toAbsolutePath(), Path.of("").toAbsolutePath(), "6.1");
        BootPipeline suite = BootPipelines.create(ws, t.table(), System.getenv(), out).pipeline();
        Path guests = suite.guests();
        KernelBuilder kb = new KernelBuilder(ws, out);
        List<BootKernel> direct = new ArrayList<>();
        Map<BootKernel, List<String>> programs = new LinkedHashMap<>();
        Map<BootKernel, List<String>> crashes = new LinkedHashMap<>();
        for (Arch a : List.of(Arch.X86_64, Arch.I386)) {
            for (Variant v : List.of(Variant.STOCK, Variant.GENERATED)) {
                BootKernel k = suite.kernels().kernel(kb.build(v, a, Profile.TINY, Path.of("generated", "6.1")
                        .toAbsolutePath()), guests, OUT.resolve("direct").resolve(a.yamlName() + "-" + v.cliName()));
                direct.add(k);
                programs.put(k, run.stream().filter(w -> w.arch().equals(a.yamlName())
                        && w.variant().equals(v.cliName())).flatMap(w -> w.programs().stream()).toList());
                crashes.put(k, run.stream().filter(w -> w.arch().equals(a.yamlName()) && w.variant().equals(
                        v.cliName()) && w.console() != null && w.console().unit() instanceof dev.idtgen.boot.Unit.Named)
                        .map(w -> w.console().unit().id()).toList());
            }
        }
        BootStage.StageResult stage = new BootStage(suite, Scheduler.forHost(System.getenv()), out).run(direct,
                a -> new BootStage.Identity(false, "compared through LAVA, not with each other"),
                k -> suite.planner().jobs(k, programs.get(k), crashes.get(k)));
        Map<String, String> untestable = new LinkedHashMap<>(MainJob.untestable(ws));
        List<Verdicts.Run> runs = new ArrayList<>();
        for (KernelOutcome o : stage.outcomes()) {
            runs.add(new Verdicts.Run(o.arch(), o.variant(), o.results(), o.compiledIn()));
        }
        List<Verdicts.Row> directRows = Verdicts.rows(t.table(), runs, untestable);
        List<Verdicts.Row> lavaRows = LavaReport.rows(t.table(), viaLava, untestable);
        List<String> differ = new ArrayList<>();
        int compared = 0;
        for (int i = 0; i < directRows.size(); i++) {
            Verdicts.Row d = directRows.get(i);
            Verdicts.Row l = lavaRows.get(i);
            assertEquals(d.entry().handler(), l.entry().handler());
            for (Arch a : List.of(Arch.X86_64, Arch.I386)) {
                for (Variant v : List.of(Variant.STOCK, Variant.GENERATED)) {
                    Verdicts.Verdict dv = d.cell(a, v).verdict();
                    Verdicts.Verdict lv = l.cell(a, v).verdict();
                    compared++;
                    if (dv != lv) {
                        differ.add(d.entry().handler() + " " + a.yamlName() + "/" + v.cliName() + ": direct " + dv
                                + " (" + d.cell(a, v).detail() + "), LAVA " + lv + " (" + l.cell(a, v).detail() + ")");
                    }
                }
            }
        }
        // the selftests of those boots (judged by their exit code on both sides), the crash boot and the
        // clean shutdown (judged by the console on both sides)
        for (KernelOutcome o : stage.outcomes()) {
            LavaReport.LavaKernel l = viaLava.stream().filter(x -> x.arch() == o.arch() && x.variant() == o.variant())
                    .findFirst().orElseThrow();
            List<TestResult> judged = new ArrayList<>(o.named("selftest "));
            judged.addAll(o.named("exc_invalid_op bug_oops"));
            judged.addAll(o.named(Judge.CLEAN_SHUTDOWN));
            assertTrue(judged.stream().anyMatch(r -> r.name().equals(Judge.CLEAN_SHUTDOWN)
                    && r.status() == Ktap.Status.PASS), o.arch() + "/" + o.variant() + ": the clean shutdown");
            assertTrue(judged.stream().anyMatch(r -> r.name().equals("exc_invalid_op bug_oops")
                    && r.status() == Ktap.Status.PASS), o.arch() + "/" + o.variant() + ": the crash-bug boot");
            for (TestResult r : judged) {
                List<Ktap.Status> got = l.results().stream().filter(x -> x.name().equals(r.name()))
                        .map(TestResult::status).toList();
                compared++;
                if (!got.equals(List.of(r.status()))) {
                    differ.add(r.name() + " " + o.arch().yamlName() + "/" + o.variant().cliName() + ": direct "
                            + r.status() + ", LAVA " + got);
                }
            }
        }
        assertEquals(List.of(), differ, "of " + compared + " cells and selftests");
        for (LavaReport.LavaKernel k : viaLava) {
            assertTrue(k.results().stream().anyMatch(r -> r.name().equals("exc_nmi host_nmi")
                    && r.status() == Ktap.Status.PASS), k.id() + ": the NMI injected through the QEMU monitor");
        }
        long passed = lavaRows.stream().flatMap(r -> r.cells().values().stream()).flatMap(m -> m.values().stream())
                .filter(c -> c.verdict() == Verdicts.Verdict.PASS).count();
        assertTrue(passed > 60, "LAVA's verdicts are real: " + passed + " PASS cells");
        for (LavaReport.LavaKernel k : viaLava) {
            assertTrue(k.results().stream().anyMatch(r -> r.status() == Ktap.Status.SKIP),
                    k.id() + ": a # SKIP stays a skip through LAVA");
        }
    }
}
