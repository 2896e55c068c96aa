package dev.idtgen.model;

import java.util.List;
import java.util.Map;

/**
 * The whole vectors.yaml. {@code kconfig} maps a Kconfig symbol to what its
 * "depends on" guarantees whenever it is enabled (facts the conditions rely
 * on). Then symbols, entry points in emission order, stub arrays and gate tables.
 */
public record VectorTable(int format, String kernel, Map<String, Condition> kconfig, Map<String, Symbol> symbols,
                          List<Entry> entries, List<StubArray> stubArrays, Map<GateTable, List<Gate>> gates,
                          String file) {
}
