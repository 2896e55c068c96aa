package dev.idtgen.cli;

import dev.idtgen.lava.LavaIndex;
import dev.idtgen.run.LavaExport;

import dev.idtgen.lava.LavaPlan;
import dev.idtgen.lava.LavaReport;
import dev.idtgen.lava.LavaRunner;
import dev.idtgen.lava.LavaVerdicts;
import dev.idtgen.boot.Delivery;
import dev.idtgen.report.Verdicts;
import dev.idtgen.run.MainJob;
import dev.idtgen.validate.Tables;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Command(name = "lava", mixinStandardHelpOptions = true,
        subcommands = {LavaCommand.Run.class, LavaCommand.Results.class},
        description = {"Writes LAVA job definitions for the boots of `run` (every kernel of the table, --kernel "
                + "narrows it; the kernels are built or reused as `run` does): per kernel and boot a job for a QEMU "
                + "device (qemu/) and one for a real x86 board (board/), the QEMU device dictionaries (devices/), "
                + "dispatcher.yaml, the kernels and initramfs images (artifacts/) and jobs.yaml, the index. "
                + "qemu-tests/lava.yaml says what the jobs leave out and why."})
final class LavaCommand extends KernelCommand.KernelTableCommand {

    @Option(names = "--out", paramLabel = "DIR", description = "Where the jobs go (required).")
    Path out;

    @Option(names = "--artifacts-url", paramLabel = "URL", description = "The URL artifacts/ will be served from "
            + "(the jobs' kernel and ramdisk URLs); default: file:// URLs of the files written here.")
    String artifactsUrl;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out0 = out();
        if (out == null) {
            err().println("idtgen lava: --out DIR is required: where the jobs go");
            return 2;
        }
        Map<String, Tables.Checked> all = table.readAll(err());
        if (all == null) {
            return 1;
        }
        return KernelCommand.guarded(err(), () -> {
            List<LavaExport.Series> series = new ArrayList<>();
            all.forEach((name, c) -> series.add(new LavaExport.Series(name, k.workspace(name), c.table(),
                    k.generated(name))));
            LavaPlan lava = LavaPlan.load(Path.of(k.project.toString(), LavaPlan.FILE));
            List<LavaIndex.Written> index = new LavaExport(lava, out, artifactsUrl, System.getenv(), out0)
                    .write(series, k.profile);
            LavaExport.summary(index).forEach(out0::println);
            out0.flush();
            return 0;
        });
    }

    /** The subcommands that read the jobs written to a directory (--out) and their index. */
    abstract static class JobsCommand extends KernelCommand.KernelTableCommand {

        @Option(names = "--out", paramLabel = "DIR", required = true, description = "The jobs' directory.")
        Path out;
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = {"Runs the QEMU jobs written in DIR with the installed lava-run (offline, as root), then "
                    + "prints their per-vector verdicts and writes DIR/junit-KERNEL.xml, as `lava results` does."})
    static final class Run extends JobsCommand {

        @Override
        public Integer call() throws IOException, InterruptedException {
            PrintWriter o = out();
            String why = LavaRunner.unavailable();
            if (why != null) {
                err().println("idtgen: lava run: " + why);
                return 1;
            }
            List<LavaIndex.Written> index = LavaIndex.readIndex(out);
            Map<String, Path> files = new LinkedHashMap<>();
            for (LavaRunner.Run r : new LavaRunner(out, o).run(index)) {
                files.put(r.job().id(), r.log());
            }
            return Results.report(o, err(), table, k, out, index, files, false);
        }
    }

    @Command(name = "results", mixinStandardHelpOptions = true,
            description = {"Reads LAVA results into per-vector verdicts: each FILE is a job's lava-run log or a "
                    + "server's results YAML, named after its job's id in DIR/jobs.yaml (ID.log or ID.yaml). Prints "
                    + "the verdicts and writes DIR/junit-KERNEL.xml."})
    static final class Results extends JobsCommand {

        @Parameters(paramLabel = "FILE", arity = "1..*")
        List<Path> files;

        @Option(names = "--board", description = "The files are the board jobs' results (board/ID.yaml, from a "
                + "lab): judged by the board jobs' programs; what they leave out is a skip with its reason.")
        boolean board;

        @Override
        public Integer call() throws IOException {
            List<LavaIndex.Written> index = LavaIndex.readIndex(out);
            Map<String, Path> byId = new LinkedHashMap<>();
            for (Path f : files) {
                String id = f.getFileName().toString().replaceFirst("\\.(log|yaml|yml)$", "");
                if (index.stream().noneMatch(w -> w.id().equals(id))) {
                    err().println(f + ": no job " + id + " in " + out.resolve(LavaIndex.INDEX));
                    return 1;
                }
                byId.put(id, f);
            }
            return report(out(), err(), table, k, out, index, byId, board);
        }

        /** Verdicts per kernel series; exit 1 on a FAIL cell or a failed result, 3 on a timeout only. */
        static int report(PrintWriter o, PrintWriter err, TableOption table, KernelOptions k, Path out,
                          List<LavaIndex.Written> index, Map<String, Path> files, boolean board)
                throws IOException {
            Map<String, Tables.Checked> all = table.readAll(err);
            if (all == null) {
                return 1;
            }
            int exit = 0;
            for (var kc : all.entrySet()) {
                List<LavaIndex.Written> mine = index.stream().filter(w -> w.kernel().equals(kc.getKey())).toList();
                Map<Delivery, List<LavaReport.LavaKernel>> byDelivery = new LinkedHashMap<>();
                for (LavaReport.LavaKernel kr : LavaReport.kernels(out.toAbsolutePath(), mine, files, board)) {
                    byDelivery.computeIfAbsent(kr.delivery(), d -> new ArrayList<>()).add(kr);
                }
                for (var e : byDelivery.entrySet()) {
                    // the FRED boots (board jobs) are verdicts of their own, as run's FRED column
                    String suffix = e.getKey() == Delivery.IDT ? "" : "-" + e.getKey().cliName();
                    int v = verdicts(o, k, out, kc.getKey(), suffix, kc.getValue(), e.getValue(), board);
                    exit = ExitCodes.worse(exit, v);
                }
            }
            o.flush();
            return exit;
        }

        /**
         * One series' verdicts of one delivery ({@code suffix}: "" or "-fred"), printed and in
         * DIR/junit-[board-]SERIES[SUFFIX].xml; the exit code: 1 on a FAIL, 3 on a timeout only.
         */
        private static int verdicts(PrintWriter o, KernelOptions k, Path out, String series, String suffix,
                                    Tables.Checked table, List<LavaReport.LavaKernel> kernels, boolean board)
                throws IOException {
            Map<String, String> untestable = new LinkedHashMap<>(MainJob.untestable(k.workspace(series)));
            if (board) {
                untestable.putAll(LavaPlan.load(Path.of(k.project.toString(), LavaPlan.FILE)).untestedOnBoard());
            }
            LavaVerdicts v = LavaVerdicts.judge(series + suffix, table.table(), kernels, untestable);
            v.lines().forEach(o::println);
            Path junit = out.resolve("junit-" + (board ? "board-" : "") + v.name() + ".xml");
            Files.writeString(junit, v.junit(), StandardCharsets.UTF_8);
            o.println("lava: " + junit);
            return v.exitCode();
        }
    }
}
