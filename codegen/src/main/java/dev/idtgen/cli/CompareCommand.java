package dev.idtgen.cli;

import dev.idtgen.kernel.EntryComparator;
import dev.idtgen.kernel.KernelBuilder;
import dev.idtgen.kernel.Variant;
import dev.idtgen.validate.Tables;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Builds stock and generated with the identical .config (reusing what is built) and compares "
                + "the entry code symbol by symbol: the symbols of .entry.text and .noinstr.text, every asm_* stub, "
                + "every C entry function, the stub arrays and the gate tables, bytes and relocations (normalised). "
                + "The stock kernel is built with the tests of its own table (imported from its source); where the "
                + "table differs from that one, the differences at the vectors it changes are listed as \"changed by "
                + "the table\" and pass. Fails on any other difference and on any objtool warning of the generated "
                + "build that the stock build of the same .config does not have too."})
final class CompareCommand extends KernelCommand.KernelTableCommand {

    @Override
    public Integer call() throws IOException, InterruptedException {
        Tables.Checked t = table.read(err());
        if (t == null) {
            return 1;
        }
        return withBuilder((builder, generated, out) -> {
            dev.idtgen.edit.Reference ref = StockTests.reference(builder.workspace(), out);
            KernelBuilder.Build stock = builder.build(Variant.STOCK, k.arch, k.profile, ref.generated());
            KernelBuilder.Build gen = builder.build(Variant.GENERATED, k.arch, k.profile, generated);
            out.printf("builds: stock %.1f s (%d objects compiled), generated %.1f s (%d objects compiled)%n",
                    stock.seconds(), stock.compiled(), gen.seconds(), gen.compiled());
            int problems = 0;
            byte[] ca = Files.readAllBytes(stock.buildDir().resolve(".config"));
            byte[] cb = Files.readAllBytes(gen.buildDir().resolve(".config"));
            if (!Arrays.equals(ca, cb)) {
                out.println("compare: the .config files of the two builds differ");
                problems++;
            }
            int added = objtoolOfGeneratedOnly(out, stock, gen);
            problems += added;
            EntryComparator.Report r = EntryComparator.compare(stock.buildDir().resolve("vmlinux.o"),
                    gen.buildDir().resolve("vmlinux.o"), t.table());
            // a difference at a vector the table changes against the stock kernel's own table is the edit's
            dev.idtgen.edit.Comparison c = dev.idtgen.edit.Explained.classify(k.arch,
                    dev.idtgen.edit.Edit.of(ref, t.table()), r);
            c.changed().forEach(d -> out.println("changed by the table: " + d));
            if (!c.moved().isEmpty()) {
                out.println(c.movedLine());
            }
            c.unexplained().forEach(d -> out.println("difference: " + d));
            printFredSymbols(out, r);
            var sections = EntryComparator.differingSections(stock.vmlinux(), gen.vmlinux());
            out.println("vmlinux: " + (sections.isEmpty() ? "every allocated section is byte-identical"
                    : "sections that differ (informational): " + String.join(", ", sections)));
            problems += c.unexplained().size();
            out.printf("compare %s/%s: %d symbols compared, %d differences%s, %d objtool warnings only in generated "
                            + "(%d in generated, %d in stock)%n", k.arch.yamlName(), k.profile.cliName(),
                    r.symbolsCompared(), c.unexplained().size(), c.changed().isEmpty() && c.moved().isEmpty() ? ""
                            : " outside the table's edit (" + c.changed().size() + " changed, " + c.moved().size()
                            + " moved by it)", added, gen.objtoolWarnings().size(), stock.objtoolWarnings().size());
            return problems == 0 ? 0 : 1;
        });
    }

    /**
     * Prints each objtool warning of the generated build; returns how many fail: every one, unless the stock
     * build of the same .config has exactly that warning too (then it is upstream's own, outside the entry code).
     */
    private static int objtoolOfGeneratedOnly(PrintWriter out, KernelBuilder.Build stock, KernelBuilder.Build gen) {
        List<String> stockWarnings = new ArrayList<>(stock.objtoolWarnings());
        int added = 0;
        for (String w : gen.objtoolWarnings()) {
            if (stockWarnings.remove(w)) {
                out.println("objtool (stock and generated alike, upstream's own): " + w);
            } else {
                out.println("objtool (generated only): " + w);
                added++;
            }
        }
        return added;
    }

    /** FRED's dispatch, as compiled: GCC may emit a static function as a clone (fred_hwexc.constprop.0). */
    private static void printFredSymbols(PrintWriter out, EntryComparator.Report r) {
        for (String f : EntryComparator.FRED) {
            for (String n : r.names()) {
                if (n.equals(f) || n.startsWith(f + ".")) {
                    boolean same = r.differences().stream().noneMatch(d -> d.symbol().equals(n));
                    out.println("fred symbol " + n + ": " + (same ? "identical" : "differs"));
                }
            }
        }
    }
}
