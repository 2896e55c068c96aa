package dev.idtgen.cli;

import dev.idtgen.kernel.EntryComparator;
import dev.idtgen.kernel.KernelBuilder;
import dev.idtgen.kernel.Variant;
import dev.idtgen.validate.Tables;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.concurrent.Callable;

@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Builds stock and generated with the identical .config (reusing what is built) and compares "
                + "the entry code symbol by symbol: the symbols of .entry.text and .noinstr.text, every asm_* stub, "
                + "every C entry function, the stub arrays and the gate tables, bytes and relocations (normalised). "
                + "Fails on any difference and on any objtool warning of the generated build."})
final class CompareCommand implements Callable<Integer> {

    @Mixin
    KernelOptions k;

    @Mixin
    TableOption table;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Tables.Checked t = table.read(err);
        if (t == null) {
            return 1;
        }
        return KernelCommand.guarded(err, () -> {
            KernelBuilder builder = new KernelBuilder(k.workspace(), out);
            KernelBuilder.Build stock = builder.build(Variant.STOCK, k.arch, k.profile, k.generated);
            KernelBuilder.Build gen = builder.build(Variant.GENERATED, k.arch, k.profile, k.generated);
            out.printf("builds: stock %.1f s (%d objects compiled), generated %.1f s (%d objects compiled)%n",
                    stock.seconds(), stock.compiled(), gen.seconds(), gen.compiled());
            int problems = 0;
            byte[] ca = Files.readAllBytes(stock.buildDir().resolve(".config"));
            byte[] cb = Files.readAllBytes(gen.buildDir().resolve(".config"));
            if (!Arrays.equals(ca, cb)) {
                out.println("compare: the .config files of the two builds differ");
                problems++;
            }
            for (String w : gen.objtoolWarnings()) {
                out.println("objtool (generated): " + w);
                problems++;
            }
            EntryComparator.Report r = EntryComparator.compare(stock.buildDir().resolve("vmlinux.o"),
                    gen.buildDir().resolve("vmlinux.o"), t.table());
            r.differences().forEach(d -> out.println("difference: " + d));
            var sections = EntryComparator.differingSections(stock.vmlinux(), gen.vmlinux());
            out.println("vmlinux: " + (sections.isEmpty() ? "every allocated section is byte-identical"
                    : "sections that differ (informational): " + String.join(", ", sections)));
            problems += r.differences().size();
            out.printf("compare %s/%s: %d symbols compared, %d differences, %d objtool warnings (generated), "
                            + "%d (stock)%n", k.arch.yamlName(), k.profile.cliName(), r.symbolsCompared(),
                    r.differences().size(), gen.objtoolWarnings().size(), stock.objtoolWarnings().size());
            return problems == 0 ? 0 : 1;
        });
    }
}
