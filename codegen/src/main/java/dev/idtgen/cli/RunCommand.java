package dev.idtgen.cli;

import dev.idtgen.model.Arch;
import dev.idtgen.render.OutputWriter;
import dev.idtgen.render.Renderer;
import dev.idtgen.report.Verdicts;
import dev.idtgen.run.MainJob;
import dev.idtgen.validate.Tables;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"The main job: validates and generates, prepares and builds stock and generated kernels for "
                + "x86_64 and i386 (reusing what is built), boots each in QEMU with the guest tests, prints one row "
                + "per vector and writes report.md and junit.xml to <work>/reports/."})
final class RunCommand implements Callable<Integer> {

    @Mixin
    TableOption table;

    @Mixin
    Generation generation;

    @Mixin
    KernelOptions k;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Tables.Checked c = table.read(err);
        if (c == null) {
            return 1;
        }
        try {
            var written = OutputWriter.write(k.generated, generation.render(c.table()));
            long changed = written.stream().filter(w -> w.change() != OutputWriter.Change.UNCHANGED).count();
            out.println("generate: " + written.size() + " files, " + changed + " changed");
        } catch (Renderer.RenderException e) {
            err.println(e.getMessage());
            return 1;
        }
        return KernelCommand.guarded(err, () -> {
            MainJob.Result r = new MainJob(k.workspace(), c.table(), k.generated, out)
                    .run(List.of(Arch.X86_64, Arch.I386), k.profile);
            out.println();
            out.printf("%-6s %-28s %-36s %-22s %-22s %s%n", "vector", "name", "handler", "x86_64", "i386", "stock=gen");
            for (Verdicts.Row row : r.rows()) {
                out.printf("%-6s %-28s %-36s %-22s %-22s %s%n",
                        row.entry().number() == null ? "-" : String.format("0x%02x", row.entry().number()),
                        row.entry().vector(), row.entry().handler(), cell(row, Arch.X86_64), cell(row, Arch.I386),
                        row.agree() ? "yes" : "NO");
            }
            for (var s : r.suites()) {
                long pass = s.results().stream().filter(x -> x.status() == dev.idtgen.qemu.Ktap.Status.PASS).count();
                if (!s.results().isEmpty()) {
                    out.printf("%s %s %s: %d/%d pass%n", s.name(), s.arch().yamlName(), s.variant().cliName(), pass,
                            s.results().size());
                }
            }
            List<String> failures = r.failures();
            failures.forEach(f -> out.println("FAIL " + f));
            out.printf("boot-test stage: %.1f s; reports: %s (report.md, junit.xml)%n", r.bootSeconds(), r.reports());
            out.println(failures.isEmpty() ? "run: every vector agrees on stock and generated, no failure"
                    : "run: " + failures.size() + " failure(s)");
            return failures.isEmpty() ? 0 : 1;
        });
    }

    private static String cell(Verdicts.Row row, Arch a) {
        var s = row.cell(a, dev.idtgen.kernel.Variant.STOCK);
        var g = row.cell(a, dev.idtgen.kernel.Variant.GENERATED);
        if (s == null || g == null) {
            return "-";
        }
        String v = s.verdict() == g.verdict() ? s.verdict().name() : s.verdict() + "/" + g.verdict();
        return v.replace("NOT_BUILT", "not built").toLowerCase(java.util.Locale.ROOT).replace("pass", "PASS")
                .replace("fail", "FAIL");
    }
}
