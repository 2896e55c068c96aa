package dev.idtgen.cli;

import dev.idtgen.boot.TestResult;
import dev.idtgen.model.Arch;
import dev.idtgen.render.OutputWriter;
import dev.idtgen.render.Renderer;
import dev.idtgen.report.Verdicts;
import dev.idtgen.run.MainJob;
import dev.idtgen.edit.Edit;
import dev.idtgen.edit.Reference;
import dev.idtgen.kernel.Workspace;
import dev.idtgen.proc.Step;
import java.nio.file.Path;
import dev.idtgen.validate.Tables;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"The main job, for every kernel of the table (--kernel narrows it): validates and generates, "
                + "prepares and builds stock and generated kernels for x86_64 and i386 (reusing what is built), boots "
                + "each in QEMU with the guest tests, prints one row per vector and writes report.md and junit.xml to "
                + "<work>/reports/<kernel>/."})
final class RunCommand extends GeneratingCommand {

    @Option(names = "--changed", description = {"Change-aware: compare each kernel with its baseline (kept after "
            + "the last run without failures or timeouts) and boot only what the change re-tests (the gate sweep's "
            + "boot always runs; anything that cannot be attributed to vectors re-runs everything); the other "
            + "results are carried from the baseline and marked so in every report."})
    boolean changed;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = out();
        PrintWriter err = err();
        java.util.Map<String, Tables.Checked> all = table.readAll(err);
        if (all == null) {
            return 1;
        }
        int exit = 0;
        for (var kc : all.entrySet()) {
            String kernel = kc.getKey();
            Tables.Checked c = kc.getValue();
            out.println("== kernel " + kernel);
            Path generated = generatedDir(kernel);
            try {
                var written = OutputWriter.write(generated, generation.render(c.table()));
                long changed = written.stream().filter(w -> w.change() != OutputWriter.Change.UNCHANGED).count();
                out.println("generate: " + written.size() + " files, " + changed + " changed");
            } catch (Renderer.RenderException e) {
                err.println(e.getMessage());
                return 1;
            }
            int rc = KernelCommand.guarded(err, () -> {
                Workspace ws = k.workspace(kernel);
                Edit edit;
                try {
                    edit = Edit.of(Reference.of(ws, new Renderer(generation.templates), out), c.table());
                } catch (Renderer.RenderException e) {
                    throw new Step.Failed(e.getMessage(), null);
                }
                printEdit(out, kernel, edit, Reference.dir(ws));
                MainJob.RunReport r = new MainJob(ws, edit, generated, System.getenv(), out)
                        .run(List.of(Arch.X86_64, Arch.I386), k.profile, changed);
                return print(out, kernel, r);
            });
            exit = ExitCodes.worse(exit, rc);
        }
        if (all.size() > 1) {
            out.println("run: " + String.join(", ", all.keySet()) + ": " + (exit == 0 ? "every kernel passed"
                    : exit == 3 ? "no failure, but a hang detector fired (exit 3)" : "failures (see above)"));
        }
        return exit;
    }

    /**
     * Where {@code kernel}'s generated files go: --generated's; with --overlay and no --generated, the work
     * directory's {@code generated/} (an overlay is not the table, so the committed generated/ is left alone).
     */
    private Path generatedDir(String kernel) {
        boolean given = spec.commandLine().getParseResult().hasMatchedOption("--generated");
        if (!table.overlays.isEmpty() && !given) {
            return k.work.toAbsolutePath().normalize().resolve("generated").resolve(kernel);
        }
        return k.generated(kernel);
    }

    /** What the edit changes against the stock kernel's own table, or that there is no edit. */
    static void printEdit(PrintWriter out, String kernel, Edit edit, Path reference) {
        if (!edit.changes()) {
            out.println("edit: none: the table is upstream's " + kernel + " (the stock kernel's own table: "
                    + reference.resolve("vectors.yaml") + ")");
            return;
        }
        out.println("edit: the table changes " + edit.diff().changes().size() + " vector(s) against the stock "
                + "kernel's own table (" + reference.resolve("vectors.yaml") + "):");
        edit.diff().lines().forEach(l -> out.println("  " + l));
    }

    /** The verdict table, the summary, failures and timeouts; returns the exit code (0, 1 failures, 3 timeouts). */
    static int print(PrintWriter out, String kernel, MainJob.RunReport r) {
        {
            out.println();
            out.println("kernel " + kernel + ":");
            boolean fred = !r.fred().rows().isEmpty();
            out.printf("%-6s %-28s %-36s %-22s %-22s %-9s%s%n", "vector", "name", "handler", "x86_64", "i386",
                    "stock=gen", fred ? " FRED x86_64 (Bochs)" : "");
            for (Verdicts.Row row : r.rows()) {
                Verdicts.Row f = fred ? r.fred().rows().stream().filter(x -> x.entry().handler().equals(
                        row.entry().handler())).findFirst().orElse(null) : null;
                out.printf("%-6s %-28s %-36s %-22s %-22s %-9s%s%n",
                        row.entry().number() == null ? "-" : String.format("0x%02x", row.entry().number()),
                        row.entry().vector(), row.entry().handler(), cell(row, Arch.X86_64), cell(row, Arch.I386),
                        row.agree() ? "yes" : "NO", f == null ? "" : " " + cell(f, Arch.X86_64)
                                + (f.agree() ? "" : " NO"));
            }
            if (!r.fred().skipped().isEmpty()) {
                out.println("FRED: " + r.fred().skipped());
            }
            printSummary(out, r);
            List<String> failures = r.failures();
            List<String> timeouts = r.timeouts();
            failures.forEach(f -> out.println("FAIL " + f));
            timeouts.forEach(t -> out.println("TIMEOUT " + t));
            out.println("reports: " + r.reports() + " (report.md, junit.xml)");
            if (!failures.isEmpty()) {
                out.println("run: " + failures.size() + " failure(s)" + (timeouts.isEmpty() ? ""
                        : ", " + timeouts.size() + " timeout(s)"));
                return 1;
            }
            if (!timeouts.isEmpty()) {
                out.println("run: no failure, but " + timeouts.size() + " timeout(s): a hang detector fired, which is "
                        + "not a verdict (exit 3)");
                return 3;
            }
            out.println("run: kernel " + kernel + ": every vector agrees on stock and generated, no failure");
            return 0;
        }
    }

    /** The suites' counts, the protocol's notes and the stage's figures (shared with {@code report}). */
    static void printSummary(PrintWriter out, MainJob.RunReport r) {
        for (var s : r.suites()) {
            long pass = s.results().stream().filter(x -> x.status() == dev.idtgen.boot.Ktap.Status.PASS).count();
            long timeout = s.results().stream().filter(x -> x.status() == dev.idtgen.boot.Ktap.Status.TIMEOUT)
                    .count();
            if (!s.results().isEmpty()) {
                String carried = dev.idtgen.report.Coverage.carried(s.results());
                out.printf("%s %s %s: %d/%d pass%s%s%n", s.name(), s.arch().yamlName(), s.variant().cliName(), pass,
                        s.results().size(), timeout == 0 ? "" : ", " + timeout + " timeout",
                        carried.isEmpty() ? "" : " (" + carried + ")");
            }
        }
        r.coverage().forEach(c -> out.println(c.line()));
        r.stage().notes().forEach(n -> out.println("disagreement protocol: " + n.line()));
        var st = r.stage();
        if (st.wallSeconds() > 0) {
            out.printf("boot-test stage: %.1f s wall, %d boots taking %.1f s in all (%.1fx parallel)%s%n",
                    st.wallSeconds(), st.boots(), st.bootSeconds(), st.bootSeconds() / st.wallSeconds(),
                    st.rerunWallSeconds() > 0.05 ? String.format(", re-runs %.1f s", st.rerunWallSeconds()) : "");
        }
    }

    private static String cell(Verdicts.Row row, Arch a) {
        var s = row.cell(a, dev.idtgen.kernel.Variant.STOCK);
        var g = row.cell(a, dev.idtgen.kernel.Variant.GENERATED);
        if (s == null || g == null) {
            return "-";
        }
        String v = s.verdict() == g.verdict() ? s.verdict().name() : s.verdict() + "/" + g.verdict();
        return v.replace("NOT_BUILT", "not built").toLowerCase(java.util.Locale.ROOT).replace("pass", "PASS")
                .replace("fail", "FAIL").replace("timeout", "TIMEOUT") + carried(s, g);
    }

    /** " carried" when a cell's results were all carried from a baseline (the report says which). */
    private static String carried(Verdicts.Cell... cells) {
        for (Verdicts.Cell c : cells) {
            if (!c.results().isEmpty() && c.results().stream().allMatch(TestResult::isCarried)) {
                return " carried";
            }
        }
        return "";
    }
}
