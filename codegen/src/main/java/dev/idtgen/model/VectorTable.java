package dev.idtgen.model;

import java.util.List;
import java.util.Map;

/**
 * vectors.yaml projected onto one kernel. {@code kernel} is the kernel
 * series the projection is for (null for a table that names no kernels),
 * {@code kernels} every series the file describes. {@code kconfig} maps a
 * Kconfig symbol to what its "depends on" guarantees whenever it is enabled
 * (facts the conditions rely on). Then symbols, entry points in emission
 * order, stub arrays and gate tables, each as they are in that kernel.
 * {@code fred}: the kernel has FRED event delivery (the top-level
 * {@code fred} list names it), so its entries carry their FRED routes.
 */
public record VectorTable(int format, String kernel, List<String> kernels, Map<String, Condition> kconfig,
                          Map<String, Symbol> symbols, List<Entry> entries, List<StubArray> stubArrays,
                          Map<GateTable, List<Gate>> gates, String file, boolean fred) {

    public VectorTable {
        kernels = List.copyOf(kernels);
    }

    /** A table of a kernel without FRED. */
    public VectorTable(int format, String kernel, List<String> kernels, Map<String, Condition> kconfig,
                       Map<String, Symbol> symbols, List<Entry> entries, List<StubArray> stubArrays,
                       Map<GateTable, List<Gate>> gates, String file) {
        this(format, kernel, kernels, kconfig, symbols, entries, stubArrays, gates, file, false);
    }
}
