package dev.idtgen.run;

import dev.idtgen.bochs.BochsPlan;
import dev.idtgen.boot.Backend;
import dev.idtgen.boot.BootPipeline;
import dev.idtgen.boot.BootPlan;
import dev.idtgen.boot.Delivery;
import dev.idtgen.boot.KernelTables;
import dev.idtgen.kernel.Workspace;
import dev.idtgen.model.VectorTable;
import dev.idtgen.qemu.QemuEmulator;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Assembles the boot pipeline of a kernel series once, for every command that boots or judges boots ({@code run},
 * {@code boot}, {@code report}, {@code lava}, {@code bench loop}): the IDT boots of qemu-tests/boots.yaml on QEMU,
 * and the FRED boots of qemu-tests/bochs.yaml on the Bochs the environment names (without one, FRED boots can only
 * be planned and read back, and {@link Boots#fredUnavailable} says why).
 */
public final class BootPipelines {

    /** The IDT boots' plan, relative to the project. */
    public static final String PLAN = "qemu-tests/boots.yaml";

    /** A series' pipeline, the FRED boots' plan, and why Bochs cannot boot them here (empty when it can). */
    public record Boots(BootPipeline pipeline, BochsPlan fred, Optional<String> fredUnavailable) {
    }

    private BootPipelines() {
    }

    /** The pipeline of {@code ws}'s kernel series, with {@code env} the process environment the CLI was given. */
    public static Boots create(Workspace ws, VectorTable table, Map<String, String> env, PrintWriter out)
            throws IOException {
        return create(ws, table, BootPlan.load(ws.project().resolve(PLAN)), env, out);
    }

    /** As {@link #create(Workspace, VectorTable, Map, PrintWriter)}, with another IDT boot plan (tests' limits). */
    public static Boots create(Workspace ws, VectorTable table, BootPlan plan, Map<String, String> env,
                               PrintWriter out) throws IOException {
        return create(ws, KernelTables.same(table), plan, env, out);
    }

    /** The pipeline of {@code ws}'s kernel series, each variant judged by its own table. */
    public static Boots create(Workspace ws, KernelTables tables, Map<String, String> env, PrintWriter out)
            throws IOException {
        return create(ws, tables, BootPlan.load(ws.project().resolve(PLAN)), env, out);
    }

    private static Boots create(Workspace ws, KernelTables tables, BootPlan plan, Map<String, String> env,
                                PrintWriter out) throws IOException {
        BochsPlan fred = BochsPlan.load(ws.project().resolve(BochsPlan.FILE));
        Optional<String> unavailable = fred.unavailable(env);
        Map<Delivery, Backend> backends = new EnumMap<>(Delivery.class);
        backends.put(Delivery.IDT, new Backend(Delivery.IDT, plan, new QemuEmulator(plan), List.of(), Map.of()));
        backends.put(Delivery.FRED, fred.backend(unavailable.isEmpty() ? fred.home(env) : null));
        return new Boots(new BootPipeline(ws, tables, backends, out), fred, unavailable);
    }
}
