package dev.idtgen.boot;

import dev.idtgen.kernel.Workspace;
import dev.idtgen.model.VectorTable;
import dev.idtgen.proc.Step;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The boot tests of one kernel series, one stage per class as kunit.py splits config, build, run and parse:
 * {@link GuestPrograms} builds what /init runs, {@link BootKernels} makes built kernels ready to boot,
 * {@link JobPlanner} splits their programs into boots, {@link BootRunner} boots them through each delivery's
 * {@link Emulator} (with {@link Initramfs}), {@link Judge} turns boots into results, and {@link BootStore} keeps
 * what was booted so that it can be judged again. Assembled once per series by {@code run.BootPipelines}.
 */
public final class BootPipeline {

    private final Workspace ws;
    private final Map<Delivery, Backend> backends;
    private final JobPlanner planner;
    private final BootKernels kernels;
    private final BootRunner runner;
    private final Judge judge;
    private final PrintWriter out;

    public BootPipeline(Workspace ws, VectorTable table, Map<Delivery, Backend> backends, PrintWriter out) {
        this(ws, KernelTables.same(table), backends, out);
    }

    /** As {@link #BootPipeline(Workspace, VectorTable, Map, PrintWriter)}, each variant judged by its own table. */
    public BootPipeline(Workspace ws, KernelTables tables, Map<Delivery, Backend> backends, PrintWriter out) {
        this.ws = ws;
        this.backends = new EnumMap<>(backends);
        this.out = out;
        Map<Delivery, BootPlan> plans = new EnumMap<>(Delivery.class);
        Map<Delivery, List<Pattern>> evidence = new EnumMap<>(Delivery.class);
        backends.forEach((d, b) -> {
            plans.put(d, b.plan());
            evidence.put(d, b.evidence());
        });
        this.planner = new JobPlanner(plans);
        this.kernels = new BootKernels(ws, tables, planner);
        this.runner = new BootRunner(backends, new Initramfs(ws, tables), out);
        this.judge = new Judge(planner, evidence);
    }

    /** The project directory (qemu-tests/ and the other data files). */
    public Path project() {
        return ws.project();
    }

    public JobPlanner planner() {
        return planner;
    }

    public BootKernels kernels() {
        return kernels;
    }

    public BootRunner runner() {
        return runner;
    }

    public Judge judge() {
        return judge;
    }

    /** The boots of one delivery mechanism. */
    public Backend backend(Delivery d) {
        Backend b = backends.get(d);
        if (b == null) {
            throw new IllegalStateException("no " + d.cliName() + " boots are set up");
        }
        return b;
    }

    /** The IDT boots' plan (qemu-tests/boots.yaml). */
    public BootPlan plan() {
        return backend(Delivery.IDT).plan();
    }

    /** Builds the guest programs and the selftests (incrementally) and returns their directory. */
    public Path guests() throws IOException, InterruptedException, Step.Failed {
        return GuestPrograms.build(ws, out);
    }

    /** The wall time of each job in the last stage that ran it, for the scheduler's order. */
    public Path timingsFile() {
        return BootStore.timingsFile(ws);
    }

    /** The results of one chain of saved boots. */
    public List<TestResult> results(BootKernel k, List<BootRecord> chain) throws IOException {
        return judge.chain(k, BootStore.logs(chain));
    }

    /** A kernel's outcome from its saved boots ({@code records}) and the results carried into it. */
    public KernelOutcome outcome(BootKernel k, List<BootRecord> records) throws IOException {
        return judge.outcome(k, BootStore.logs(records), BootStore.carried(k));
    }
}
