package dev.idtgen.boot;

import dev.idtgen.run.BootPipelines;

import dev.idtgen.cli.Main;
import dev.idtgen.kernel.KernelBuilder;
import dev.idtgen.kernel.Profile;
import dev.idtgen.kernel.Variant;
import dev.idtgen.kernel.Workspace;
import dev.idtgen.model.Arch;
import dev.idtgen.report.Coverage;
import dev.idtgen.run.BootStage;
import dev.idtgen.run.MainJob;
import dev.idtgen.validate.Tables;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The negative test of the IDT audit: a kernel whose IDT is wrong at two
 * vectors, audited against the right table. The table is mutated at two
 * gates (the validator's rules that catch them waived, with a reason):
 * {@code #UD} (0x06) becomes a system gate (DPL 3, so {@code int $6} from
 * user space would reach it) and {@code #OF} (0x04) an interrupt gate
 * (DPL 0, so {@code into} would raise #GP). The generated kernel of the
 * mutated table is built with the audit of the right one: the only
 * difference between its tree and CustomVectorIT's is {@code idt_gates.h}
 * (the build recompiles idt.c). The audit fails at 0x04 and 0x06, naming
 * each vector and the DPL, passes the other 254 vectors, and the kernel
 * boots on (the delivery suite runs whole after it).
 */
@Tag("slow")
class AuditNegativeIT {

    /** CustomVectorIT's work directory and kernel: the same patched tree, so this build is incremental. */
    static final Path WORK = CustomVectorIT.WORK;
    static final String KERNEL = CustomVectorIT.KERNEL;
    static final Path OVERLAY = CustomVectorIT.FIXTURE.resolve("overlay.yaml");

    /** One exact edit of vectors.yaml's text. */
    record Mutation(String from, String to) {
    }

    static final String WHY = "negative test of the IDT audit: the kernel's gate is wrong on purpose";

    static final List<Mutation> MUTATIONS = List.of(
            new Mutation("    - {handler: exc_invalid_op, type: interrupt}\n",
                    "    - {handler: exc_invalid_op, type: system, dpl: 3, waive: {dpl3: \"" + WHY + "\"}}\n"),
            new Mutation("number: 6, kind: raw, error_code: none, arches: [x86_64, i386], fred: {routes: [hwexc]}}",
                    "number: 6, kind: raw, error_code: none, arches: [x86_64, i386], fred: {routes: [hwexc]}, "
                            + "waive: {fred-intx: \"" + WHY + "\"}}"),
            new Mutation("    - {handler: exc_overflow, type: system, dpl: 3}\n",
                    "    - {handler: exc_overflow, type: interrupt}\n"),
            new Mutation("number: 4, kind: plain, error_code: none, arches: [x86_64, i386], "
                    + "fred: {routes: [swexc, intx]}}",
                    "number: 4, kind: plain, error_code: none, arches: [x86_64, i386], "
                            + "fred: {routes: [swexc, intx]}, waive: {fred-intx: \"" + WHY + "\"}}"));

    static String mutate(String table) {
        for (Mutation m : MUTATIONS) {
            int at = table.indexOf(m.from());
            assertTrue(at >= 0 && table.indexOf(m.from(), at + 1) < 0,
                    "vectors.yaml holds exactly one " + m.from().strip() + ": update AuditNegativeIT.MUTATIONS");
            table = table.replace(m.from(), m.to());
        }
        return table;
    }

    @Test
    void theAuditNamesExactlyTheVectorsWhoseGatesAreWrongAndTheKernelBootsOn() throws Exception {
        Path dir = WORK.resolve("audit-negative");
        Files.createDirectories(dir);
        Path wrong = dir.resolve("vectors.yaml");
        Files.writeString(wrong, mutate(Files.readString(Path.of("vectors.yaml"))));
        Tables.Checked right = Tables.read(Path.of("vectors.yaml"), List.of(OVERLAY), KERNEL);
        assertTrue(right.ok(), right.problems().toString());
        Tables.Checked mutated = Tables.read(wrong, List.of(OVERLAY), KERNEL);
        assertTrue(mutated.ok(), "the rules are waived, so the mutated table is valid: " + mutated.problems());

        // the kernel: the mutated table's files; the audit: the right table's
        Path good = dir.resolve("generated-right");
        Path bad = dir.resolve("generated-wrong");
        assertEquals(0, Main.run("generate", "-q", "--vectors", "vectors.yaml", "--overlay", OVERLAY.toString(),
                "--out", good.toString()));
        assertEquals(0, Main.run("generate", "-q", "--vectors", wrong.toString(), "--overlay", OVERLAY.toString(),
                "--out", bad.toString()));
        Path tests = Path.of(KERNEL, Workspace.TESTS);
        List<Path> differ = differing(good.resolve(KERNEL), bad.resolve(KERNEL));
        assertEquals(List.of(Path.of("arch/x86/kernel/idt_gates.h"),
                Path.of(Workspace.TESTS, "arch/x86/kernel/idtgen_audit_table.h")), differ,
                "the mutation changes the gates and the audit's rows only");
        try (Stream<Path> s = Files.walk(good.resolve(tests))) {
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                Path to = bad.resolve(tests).resolve(good.resolve(tests).relativize(f));
                Files.copy(f, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        assertEquals(List.of(Path.of("arch/x86/kernel/idt_gates.h")), differing(good.resolve(KERNEL),
                bad.resolve(KERNEL)), "the kernel is built with the right table's audit");

        Workspace ws = new Workspace(WORK, Path.of("").toAbsolutePath(), KERNEL,
                List.of(CustomVectorIT.FIXTURE.resolve("patches").toAbsolutePath()));
        PrintWriter out = new PrintWriter(System.out, true);
        KernelBuilder.Build k = new KernelBuilder(ws, out).build(Variant.GENERATED, Arch.X86_64, Profile.TINY,
                bad.resolve(KERNEL));
        BootPipeline suite = BootPipelines.create(ws, right.table(), System.getenv(), out).pipeline();
        Path guests = suite.guests();
        BootStage.StageResult stage = new BootStage(suite, Scheduler.forHost(System.getenv()), out).run(
                List.of(suite.kernels().kernel(k, guests)), a -> new BootStage.Identity(false, "one kernel, no pair"),
                x -> suite.planner().jobs(x, List.of("audit-64")));
        KernelOutcome o = stage.outcomes().get(0);

        List<TestResult> audit = o.named(Coverage.AUDIT);
        assertEquals(256, audit.size(), o.results().toString());
        List<TestResult> failed = audit.stream().filter(x -> x.status() != Ktap.Status.PASS).toList();
        assertEquals(List.of("idt_audit vector_0x04", "idt_audit vector_0x06"),
                failed.stream().map(TestResult::name).toList(), failed.toString());
        failed.forEach(f -> assertEquals(Ktap.Status.FAIL, f.status(), f.toString()));
        String of = String.join("\n", failed.get(0).diagnostics());
        assertTrue(of.contains("vector 0x04: DPL, the table: system gate (DPL 3) (def_idts)"), of);
        String ud = String.join("\n", failed.get(1).diagnostics());
        assertTrue(ud.contains("vector 0x06: DPL, the table: interrupt gate (def_idts)"), ud);
        for (String whole : List.of("idt_audit idt_loaded", "idt_audit idt_read_only")) {
            assertTrue(o.results().stream().anyMatch(x -> x.name().equals(whole) && x.status() == Ktap.Status.PASS),
                    whole + ": " + o.results());
        }
        // the kernel booted on: the delivery suite ran whole after the failed audit
        assertTrue(o.results().stream().anyMatch(x -> x.name().equals("idt_delivery suite")
                && x.status() == Ktap.Status.PASS), o.results().toString());

        MainJob.RunReport r = MainJob.report(ws, right.table(), stage, List.of(Arch.X86_64), System.getenv());
        for (String v : List.of("0x04", "0x06")) {
            assertTrue(r.failures().stream().anyMatch(f -> f.contains("idt_audit vector_" + v)),
                    r.failures().toString());
        }
        assertTrue(r.coverage().get(0).line().contains("254/256 audited, 2 mismatches"), r.coverage().toString());
        assertFalse(r.failures().isEmpty());
    }

    /** The files (relative paths, sorted) whose bytes differ between two generated directories of one kernel. */
    static List<Path> differing(Path a, Path b) throws java.io.IOException {
        try (Stream<Path> s = Files.walk(a)) {
            List<Path> out = new java.util.ArrayList<>();
            for (Path f : s.filter(Files::isRegularFile).sorted().toList()) {
                Path rel = a.relativize(f);
                if (!java.util.Arrays.equals(Files.readAllBytes(f), Files.readAllBytes(b.resolve(rel)))) {
                    out.add(rel);
                }
            }
            return out;
        }
    }
}
