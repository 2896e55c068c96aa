package dev.idtgen.run;

import dev.idtgen.bochs.BochsPlan;
import dev.idtgen.boot.BootJob;
import dev.idtgen.boot.BootKernel;
import dev.idtgen.boot.BootPipeline;
import dev.idtgen.boot.BootPlan;
import dev.idtgen.boot.BootStore;
import dev.idtgen.boot.KernelOutcome;
import dev.idtgen.boot.Scheduler;
import dev.idtgen.kernel.KernelBuilder;
import dev.idtgen.kernel.Workspace;
import dev.idtgen.model.VectorTable;
import dev.idtgen.proc.Step;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The debugging loop for one vector ({@code idtgen boot}): boots one built kernel with the programs and crash
 * boots asked for, through the same pipeline as the main job, and judges them. Its boots go to
 * {@code <work>/boot-cli/ARCH-PROFILE-VARIANT[-fred]}.
 */
public final class SingleKernelBoots {

    /** What to boot: a build, through FRED or the IDT, these programs and crash modes (neither: everything). */
    public record Request(KernelBuilder.Build build, boolean fred, List<String> programs, List<String> crashes) {
    }

    /** A request that cannot be met (no Bochs, a program or crash mode this kernel does not have). */
    public static final class Refused extends Exception {
        public Refused(String message) {
            super(message);
        }
    }

    private SingleKernelBoots() {
    }

    /** Boots what {@code req} asks for and returns the kernel's outcome. */
    public static KernelOutcome boot(Workspace ws, VectorTable table, Map<String, String> env, Request req,
                                     PrintWriter out) throws IOException, InterruptedException, Step.Failed, Refused {
        BootPipelines.Boots boots = BootPipelines.create(ws, table, env, out);
        if (req.fred() && boots.fredUnavailable().isPresent()) {
            throw new Refused(boots.fredUnavailable().get());
        }
        BootPipeline suite = boots.pipeline();
        KernelBuilder.Build b = req.build();
        Path guests = suite.guests();
        Path dir = ws.perKernel("boot-cli").resolve(b.arch().yamlName() + "-" + b.profile().cliName() + "-"
                + b.variant().cliName() + (req.fred() ? "-fred" : ""));
        BootKernel kernel = req.fred() ? suite.kernels().fredKernel(b, guests, dir)
                : suite.kernels().kernel(b, guests, dir);
        List<String> unknown = req.programs().stream().filter(x -> !kernel.programs().contains(x)).toList();
        if (!unknown.isEmpty()) {
            throw new Refused("not in the initramfs: " + unknown + "; programs: "
                    + String.join(",", kernel.programs()));
        }
        Scheduler.forHost(env).run(jobs(suite, kernel, req), suite.runner()::execute);
        return suite.outcome(kernel, BootStore.records(kernel));
    }

    private static List<BootJob> jobs(BootPipeline suite, BootKernel kernel, Request req) throws Refused {
        if (req.programs().isEmpty() && req.crashes().isEmpty()) {
            return suite.planner().allJobs(kernel);
        }
        List<BootJob> jobs = new ArrayList<>(suite.planner().jobs(kernel, req.programs()));
        BootPlan plan = suite.planner().plan(kernel);
        for (String c : req.crashes()) {
            var crash = plan.crashes().stream().filter(x -> x.mode().equals(c)
                    && x.arches().contains(kernel.arch())).findFirst();
            if (crash.isEmpty()) {
                throw new Refused("no crash boot " + c + " for " + kernel.arch().yamlName() + " in "
                        + (req.fred() ? BochsPlan.FILE : BootPipelines.PLAN));
            }
            jobs.add(suite.planner().crashJob(kernel, crash.get(), 0));
        }
        return jobs;
    }
}
