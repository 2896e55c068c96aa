package dev.idtgen.cli;

import dev.idtgen.run.BootPipelines;

import dev.idtgen.model.Arch;
import dev.idtgen.boot.BootPipeline;
import dev.idtgen.boot.BootKernel;
import dev.idtgen.boot.BootStore;
import dev.idtgen.run.BootStage;
import dev.idtgen.run.MainJob;
import dev.idtgen.validate.Tables;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Rebuilds the verdicts and the reports (report.md, junit.xml) of the last main job from its "
                + "saved boot logs (<work>/boot/), without booting: the same parsing, disagreement protocol and "
                + "verdicts as `run`. Exit codes as `run`."})
final class ReportCommand extends KernelCommand.KernelTableCommand {

    @Override
    public Integer call() throws IOException {
        PrintWriter out = out();
        PrintWriter err = err();
        Tables.Checked t = table.read(err);
        if (t == null) {
            return 1;
        }
        var ws = k.workspace(table.kernelOrFirst());
        List<BootKernel> kernels = BootStore.savedKernels(ws, k.profile);
        List<Arch> arches = kernels.stream().map(BootKernel::arch).distinct().toList();
        if (kernels.isEmpty()) {
            err.println("idtgen: no saved boots under " + ws.perKernel("boot") + " for profile "
                    + k.profile.cliName() + ": run `idtgen run` first");
            return 1;
        }
        BootPipeline suite = BootPipelines.create(ws, t.table(), System.getenv(), out).pipeline();
        BootStage.StageResult stage = BootStage.assemble(suite, kernels);
        out.printf("report: %d kernels, %d boots read back from %s%n", kernels.size(), stage.boots(),
                ws.perKernel("boot"));
        return RunCommand.print(out, ws.kernel(), MainJob.report(ws, t.table(), stage, arches, System.getenv()));
    }
}
