package dev.idtgen.cli;

import dev.idtgen.asm.AsmException;
import dev.idtgen.bench.Stats;
import dev.idtgen.asm.Assembler;
import dev.idtgen.asm.Backends;
import dev.idtgen.asm.FlatContext;
import dev.idtgen.asm.FlatListings;
import dev.idtgen.asm.Mode;
import dev.idtgen.asm.Symbols;
import dev.idtgen.kernel.Workspace;
import dev.idtgen.validate.Tables;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "asm", mixinStandardHelpOptions = true,
        description = {"Warm in-process time to assemble every stub of one architecture (its flat listings for the "
                + "profile's .config), Keystone and GNU as side by side in one run (their runs interleaved), with "
                + "medians and the ratio keystone/gas. Goal: the in-process backend (Keystone) <= "
                + BenchAsmCommand.GOAL + "x gas."})
final class BenchAsmCommand implements Callable<Integer> {

    static final double GOAL = 0.5;

    @Mixin
    AsmCommand.ListingOptions listing;

    @Mixin
    AsmCommand.ConfigOption config;

    @Option(names = "--warmup", defaultValue = "20", description = "Untimed runs of each backend first "
            + "(default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--runs", defaultValue = "40", description = "Timed runs of each backend (default: "
            + "${DEFAULT-VALUE}).")
    int runs;

    @Spec
    CommandSpec spec;

    /** A backend being measured: its times, or why it is not. */
    private static final class Side {
        final Backends.Probe probe;
        final List<Double> ms = new ArrayList<>();
        String failed;

        Side(Backends.Probe probe) {
            this.probe = probe;
        }

        boolean running() {
            return probe.available() && failed == null;
        }

        void time(List<Assembler.Job> jobs, Map<String, Long> symbols, Mode mode, boolean record) {
            try {
                long t0 = System.nanoTime();
                probe.assembler().assembleAll(jobs, symbols, mode);
                if (record) {
                    ms.add((System.nanoTime() - t0) / 1e6);
                }
            } catch (AsmException e) {
                failed = e.getMessage();
            }
        }

        double median() {
            return Stats.median(ms);
        }
    }

    @Override
    public Integer call() throws IOException {
        AsmCommand.Inputs in = listing.read(spec.commandLine().getOut(), spec.commandLine().getErr());
        if (in == null) {
            return 1;
        }
        PrintWriter out = in.out();
        PrintWriter err = in.err();
        Tables.Checked t = in.table();
        Workspace ws = in.ws();
        KernelOptions k = listing.k;
        Path cfg = config.path(ws, k);
        if (!Files.isRegularFile(cfg)) {
            err.println("bench asm: no .config at " + cfg + " (./idtgen kernel prepare, or --config FILE)");
            return 1;
        }
        Mode mode = Mode.of(k.arch);
        FlatContext flat = new FlatContext(k.arch, FlatListings.readConfig(cfg), AsmCommand.stockConstants(ws, k),
                t.table());
        List<Side> sides = new Backends(System.getenv()).all().stream().map(Side::new).toList();
        try {
            Side first = sides.stream().filter(Side::running).findFirst().orElse(null);
            if (first == null) {
                sides.forEach(x -> out.printf("%-10s unavailable: %s%n", x.probe.name(), x.probe.unavailable()));
                out.flush();
                return 1;
            }
            long base = mode == Mode.BITS64 ? 0xffffffff81000000L : 0xc1000000L;
            List<Assembler.Job> jobs;
            try {
                jobs = jobs(FlatListings.stubs(listing.generation.templates, t.table(), flat,
                        first.probe.assembler()), base);
            } catch (AsmException e) {
                err.println("bench asm: the listings: " + e.getMessage());
                return 1;
            }
            // (the arrays' stubs follow each other at IDT_ALIGN; the asm_* stubs, one per symbol, are apart)
            out.printf("bench asm: %s, %s: %d stubs, %d warm-up and %d timed runs of each backend, interleaved%n",
                    k.arch.yamlName(), cfg, jobs.size(), warmup, runs);
            measure(sides, jobs, Symbols.any(base - 0x100000L), mode);
            print(out, sides);
            out.flush();
            return sides.stream().anyMatch(x -> x.failed != null) ? 1 : 0;
        } finally {
            sides.stream().filter(x -> x.probe.available()).forEach(x -> x.probe.assembler().close());
        }
    }

    /**
     * The same listings for both backends (AsmVerifyIT proves each backend derives the same ones), laid out as
     * `asm verify` finds them in vmlinux: each symbol at its own address from {@code base} on, an array's stubs
     * at their slots.
     */
    private static List<Assembler.Job> jobs(List<FlatListings.Stub> stubs, long base) {
        List<Assembler.Job> jobs = new ArrayList<>();
        Map<String, Long> at = new LinkedHashMap<>();
        for (FlatListings.Stub s : stubs) {
            long sym = at.computeIfAbsent(s.symbol(), x -> base + 0x1000L * at.size());
            jobs.add(new Assembler.Job(s.name(), s.listing(), sym + s.offset()));
        }
        return jobs;
    }

    /** The warm-up and the timed runs, interleaved. */
    private void measure(List<Side> sides, List<Assembler.Job> jobs, Map<String, Long> symbols, Mode mode) {
        for (int i = 0; i < warmup + runs; i++) {
            // alternate which backend goes first, so that neither always runs right after the other
            for (int j = 0; j < sides.size(); j++) {
                Side x = sides.get((i + j) % sides.size());
                if (x.running()) {
                    x.time(jobs, symbols, mode, i >= warmup);
                }
            }
        }
    }

    /** A line per backend, then the ratio keystone/gas against the goal. */
    private static void print(PrintWriter out, List<Side> sides) {
        out.printf("%-10s %9s %9s  %s%n", "backend", "median", "min", "");
        for (Side x : sides) {
            if (!x.probe.available()) {
                out.printf("%-10s unavailable: %s%n", x.probe.name(), x.probe.unavailable());
            } else if (x.failed != null) {
                out.printf("%-10s failed: %s%n", x.probe.name(), x.failed);
            } else {
                out.printf("%-10s %6.1f ms %6.1f ms  %s%n", x.probe.name(), x.median(), Collections.min(x.ms),
                        x.probe.assembler().describe());
            }
        }
        Side ks = sides.stream().filter(x -> x.probe.name().equals("keystone")).findFirst().orElseThrow();
        Side gas = sides.stream().filter(x -> x.probe.name().equals("gas")).findFirst().orElseThrow();
        if (ks.running() && gas.running()) {
            double ratio = ks.median() / gas.median();
            out.printf("ratio keystone/gas: %.2f (medians; goal <= %.1f: %s)%n", ratio, GOAL,
                    ratio <= GOAL ? "met" : "not met");
        } else {
            out.println("ratio keystone/gas: not measured (" + (ks.running() ? "gas" : "keystone")
                    + " did not run)");
        }
    }
}
