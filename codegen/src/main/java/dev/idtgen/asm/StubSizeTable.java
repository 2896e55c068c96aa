package dev.idtgen.asm;

import dev.idtgen.elf.ElfFile;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The table {@code asm size} prints: the listing's size of each stub and
 * stub array (with the arrays' geometry: IDT_ALIGN, code bytes, whether
 * every stub fits its slot), next to the symbol's size in each vmlinux
 * given; a size that disagrees, or a stub that does not fit, is a problem
 * (marked *). One object prints one table.
 */
public final class StubSizeTable {

    private final PrintWriter out;
    private final Map<String, KernelImage> images;
    private final String cols;
    private final Map<String, Long> totals = new LinkedHashMap<>();
    private long total;
    private int problems;

    /** {@code images}: the vmlinux files to compare with, by the name of their column, in column order. */
    public StubSizeTable(PrintWriter out, Map<String, KernelImage> images) {
        this.out = out;
        this.images = images;
        this.cols = images.keySet().stream().map(name -> String.format(" %10s", name))
                .reduce("", String::concat);
    }

    /** Prints the table and the verdict; returns the exit code (1 on any problem). */
    public int print(List<StubSizes.Size> sizes) {
        out.printf("%n%-44s %8s%s%n", "stub", "listing", cols);
        Map<String, List<StubSizes.Size>> arrays = new LinkedHashMap<>();
        for (StubSizes.Size s : sizes) {
            if (s.stub().inArray()) {
                arrays.computeIfAbsent(s.stub().symbol(), x -> new ArrayList<>()).add(s);
            } else {
                stub(s);
            }
        }
        out.printf("%n%-24s %8s %9s %9s %11s %11s%s%n", "array", "vectors", "IDT_ALIGN", "code", "fits", "bytes",
                cols);
        arrays.forEach(this::array);
        StringBuilder line = new StringBuilder(String.format("%ntotal bytes of the stubs: %d (listing)", total));
        totals.forEach((name, n) -> line.append(String.format(", %d (%s vmlinux)", n, name)));
        out.println(line);
        if (images.isEmpty()) {
            out.println("no vmlinux built for this arch/profile: nothing cross-checked");
        }
        out.println(problems == 0 ? "asm size: every stub fits" + (images.isEmpty() ? ""
                : " and every size agrees with vmlinux") : "asm size: " + problems + " problem(s) (marked *)");
        return problems == 0 ? 0 : 1;
    }

    private void stub(StubSizes.Size s) {
        total += s.bytes();
        StringBuilder line = new StringBuilder(String.format("%-44s %8d", s.stub().symbol(), s.bytes()));
        vmlinuxSizes(line, s.stub().symbol(), s.bytes());
        out.println(line);
    }

    private void array(String symbol, List<StubSizes.Size> l) {
        int slot = l.get(0).stub().slot();
        int min = l.stream().mapToInt(StubSizes.Size::codeBytes).min().orElse(0);
        int max = l.stream().mapToInt(StubSizes.Size::codeBytes).max().orElse(0);
        long bytes = l.stream().mapToLong(StubSizes.Size::bytes).sum();
        long notFitting = l.stream().filter(s -> !s.fits()).count();
        total += bytes;
        StringBuilder line = new StringBuilder(String.format("%-24s %8d %9d %9s %11s %11d", symbol,
                l.size(), slot, min == max ? Integer.toString(max) : min + ".." + max,
                notFitting == 0 ? "all " + l.size() : (l.size() - notFitting) + "/" + l.size(), bytes));
        problems += (int) notFitting;
        vmlinuxSizes(line, symbol, bytes);
        out.println(line);
        for (StubSizes.Size s : l) {
            if (!s.fits()) {
                out.printf("  %s: %d bytes of code do not fit IDT_ALIGN (%d)%n", s.stub().name(),
                        s.codeBytes(), slot);
            }
        }
    }

    /** Appends the size of {@code symbol} in each vmlinux, marked * (a problem) where it is not {@code bytes}. */
    private void vmlinuxSizes(StringBuilder line, String symbol, long bytes) {
        for (Map.Entry<String, KernelImage> e : images.entrySet()) {
            long have = e.getValue().symbol(symbol).map(ElfFile.Symbol::size).orElse(-1L);
            totals.merge(e.getKey(), Math.max(0, have), Long::sum);
            line.append(String.format(" %10s", have < 0 ? "missing" : Long.toString(have)));
            if (have != bytes) {
                line.append(" *");
                problems++;
            }
        }
    }
}
