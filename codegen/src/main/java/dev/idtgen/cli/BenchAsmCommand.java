package dev.idtgen.cli;

import dev.idtgen.asm.AsmException;
import dev.idtgen.asm.Assembler;
import dev.idtgen.asm.Backends;
import dev.idtgen.asm.FlatContext;
import dev.idtgen.asm.FlatListings;
import dev.idtgen.asm.KernelConstants;
import dev.idtgen.asm.Mode;
import dev.idtgen.asm.Symbols;
import dev.idtgen.kernel.Variant;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "asm", mixinStandardHelpOptions = true,
        description = {"Warm in-process time to assemble every stub of one architecture (its flat listings for the "
                + "profile's .config) with each assembler backend this machine has; the others are named with the "
                + "reason. Target: <= 200 ms for the in-process backend (Keystone)."})
final class BenchAsmCommand implements Callable<Integer> {

    static final double TARGET_MS = 200;

    @Mixin
    KernelOptions k;

    @Mixin
    TableOption table;

    @Mixin
    Generation generation;

    @Option(names = "--config", paramLabel = "FILE",
            description = "The .config (default: the profile's, work/kernel/configs/<arch>-<profile>/.config).")
    Path config;

    @Option(names = "--warmup", defaultValue = "5", description = "Untimed runs first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--runs", defaultValue = "20", description = "Timed runs (default: ${DEFAULT-VALUE}).")
    int runs;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Tables.Checked t = table.read(err);
        if (t == null) {
            return 1;
        }
        Workspace ws = k.workspace();
        Path cfg = config != null ? config : ws.config(k.arch, k.profile).resolve(".config");
        if (!Files.isRegularFile(cfg)) {
            err.println("bench asm: no .config at " + cfg + " (./idtgen kernel prepare, or --config FILE)");
            return 1;
        }
        Mode mode = Mode.of(k.arch);
        Path src = ws.source(Variant.STOCK);
        Path build = ws.build(Variant.GENERATED, k.arch, k.profile);
        KernelConstants constants = KernelConstants.load(k.arch, Files.isDirectory(src) ? src : null,
                Files.isDirectory(build) ? build : null);
        FlatContext flat = new FlatContext(k.arch, FlatListings.readConfig(cfg), constants, t.table());
        out.printf("bench asm: %s, %s%n", k.arch.yamlName(), cfg);
        out.printf("%-10s %7s %12s %12s %10s  %s%n", "backend", "stubs", "median", "min", "target", "");
        int rc = 0;
        for (Backends.Probe p : Backends.all()) {
            if (!p.available()) {
                out.printf("%-10s unavailable: %s%n", p.name(), p.unavailable());
                continue;
            }
            try (Assembler asm = p.assembler()) {
                List<Assembler.Job> jobs = new ArrayList<>();
                long base = mode == Mode.BITS64 ? 0xffffffff81000000L : 0xc1000000L;
                for (FlatListings.Stub s : FlatListings.stubs(generation.templates, t.table(), flat, asm)) {
                    jobs.add(new Assembler.Job(s.name(), s.listing(), base + 0x1000L * jobs.size()));
                }
                Map<String, Long> symbols = Symbols.any(base - 0x100000L);
                for (int i = 0; i < warmup; i++) {
                    asm.assembleAll(jobs, symbols, mode);
                }
                List<Double> ms = new ArrayList<>();
                for (int i = 0; i < runs; i++) {
                    long t0 = System.nanoTime();
                    asm.assembleAll(jobs, symbols, mode);
                    ms.add((System.nanoTime() - t0) / 1e6);
                }
                Collections.sort(ms);
                double median = ms.size() % 2 == 1 ? ms.get(ms.size() / 2)
                        : (ms.get(ms.size() / 2 - 1) + ms.get(ms.size() / 2)) / 2;
                boolean inProcess = p.name().equals("keystone");
                out.printf("%-10s %7d %9.1f ms %9.1f ms %7.0f ms  %s%n", p.name(), jobs.size(), median, ms.get(0),
                        TARGET_MS, (median <= TARGET_MS ? "within target" : "over target")
                                + (inProcess ? " (in-process)" : " (out of process: one `as` run per batch of "
                                + jobs.size() + " listings; the target is the in-process backend's)"));
            } catch (AsmException e) {
                out.printf("%-10s failed: %s%n", p.name(), e.getMessage());
                rc = 1;
            }
        }
        out.flush();
        return rc;
    }
}
