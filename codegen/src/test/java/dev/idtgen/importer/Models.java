package dev.idtgen.importer;

import dev.idtgen.model.Entry;
import dev.idtgen.model.Fred;
import dev.idtgen.model.Gate;
import dev.idtgen.model.GateTable;
import dev.idtgen.model.StubArray;
import dev.idtgen.model.Symbol;
import dev.idtgen.model.VectorTable;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Test helper: tables without positions, so that tables read from different texts compare equal. */
final class Models {

    private Models() {
    }

    /** {@code t} with every position (FRED routes' too), the {@code where} maps and the file name dropped. */
    static VectorTable strip(VectorTable t) {
        Map<String, Symbol> symbols = new LinkedHashMap<>();
        t.symbols().forEach((k, s) -> symbols.put(k, new Symbol(s.name(), s.number(), s.condition(), null)));
        List<Entry> entries = t.entries().stream().map(e -> new Entry(e.handler(), e.vector(), e.number(), e.kind(),
                e.errorCode(), e.arches(), e.condition(), e.otherwise(), e.waivers(), null, Map.of(), strip(e.fred())))
                .toList();
        List<StubArray> arrays = t.stubArrays().stream().map(a -> new StubArray(a.name(), a.first(), a.end(),
                a.target(), a.arches(), a.condition(), null, Map.of())).toList();
        Map<GateTable, List<Gate>> gates = new EnumMap<>(GateTable.class);
        t.gates().forEach((table, gs) -> gates.put(table, gs.stream().map(g -> new Gate(g.table(), g.handler(),
                g.type(), g.dpl(), g.ist(), g.tss(), g.arches(), g.condition(), g.waivers(), null, Map.of())).toList()));
        return new VectorTable(t.format(), t.kernel(), t.kernels(), new LinkedHashMap<>(t.kconfig()), symbols, entries, arrays,
                gates, null, t.fred());
    }

    private static Fred strip(Fred f) {
        return f == null ? null : new Fred(f.routes(), f.call(), f.guard(), f.fastPath(), f.stackLevel(), f.exempt(), null);
    }
}
