package dev.idtgen.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.idtgen.model.Arch;
import dev.idtgen.model.Entry;
import dev.idtgen.model.Gate;
import dev.idtgen.model.StubArray;
import dev.idtgen.model.VectorTable;
import dev.idtgen.validate.Tables;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "list", mixinStandardHelpOptions = true,
        description = "Lists every entry point of the table with its gates.")
final class ListCommand implements Callable<Integer> {

    @Mixin
    TableOption table;

    @Option(names = "--json", description = "Print a JSON array, one object per entry point.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws JsonProcessingException {
        Tables.Checked c = table.read(spec.commandLine().getErr());
        if (c == null) {
            return 1;
        }
        List<Map<String, Object>> rows = rows(c.table());
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(rows));
            return 0;
        }
        out.printf("%-6s %-30s %-14s %-36s %-13s %s%n", "vector", "name", "kind", "handler", "arches", "gates");
        for (Map<String, Object> r : rows) {
            StringBuilder gates = new StringBuilder();
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> gs = (List<Map<String, Object>>) r.get("gates");
            for (Map<String, Object> g : gs) {
                gates.append(gates.length() == 0 ? "" : " ").append(g.get("table")).append(':').append(g.get("type"))
                        .append(g.get("ist") == null ? "" : "/" + g.get("ist"))
                        .append(((Integer) g.get("dpl")) == 3 ? "/dpl3" : "");
            }
            Object v = r.get("vector");
            out.printf("%-6s %-30s %-14s %-36s %-13s %s%s%n", v == null ? "-" : String.format("0x%02x", (Integer) v),
                    r.get("name"), r.get("kind"), r.get("handler"), String.join(",", castList(r.get("arches"))),
                    gates, r.get("condition") == null ? "" : "  [" + r.get("condition") + "]");
        }
        return 0;
    }

    @SuppressWarnings("unchecked")
    private static List<String> castList(Object o) {
        return (List<String>) o;
    }

    /** One row per entry point: every entry, then every stub of the stub arrays as one row per array. */
    static List<Map<String, Object>> rows(VectorTable t) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Entry e : t.entries()) {
            rows.add(entryRow(t, e));
        }
        for (StubArray a : t.stubArrays()) {
            rows.add(arrayRow(t, a));
        }
        return rows;
    }

    private static Map<String, Object> entryRow(VectorTable t, Entry e) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("vector", e.number());
        r.put("name", e.vector());
        r.put("kind", e.kind().yamlName());
        r.put("handler", e.handler());
        r.put("symbol", e.gateTarget());
        r.put("error_code", e.errorCode().yamlName());
        r.put("arches", e.arches().stream().map(Arch::yamlName).toList());
        r.put("condition", e.condition().isAlways() ? null : e.condition().toYaml());
        r.put("gates", gates(t, e));
        if (t.fred()) {
            r.put("fred", e.fred() == null ? null : fred(e));
        }
        return r;
    }

    /** The gates of an entry's handler on (some of) the entry's architectures. */
    private static List<Map<String, Object>> gates(VectorTable t, Entry e) {
        List<Map<String, Object>> gates = new ArrayList<>();
        t.gates().forEach((table, list) -> {
            for (Gate g : list) {
                if (g.handler().equals(e.handler()) && g.arches().stream().anyMatch(e.arches()::contains)) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("table", table.yamlName());
                    m.put("type", g.type().yamlName());
                    m.put("dpl", g.dpl());
                    m.put("ist", g.ist() == null ? null : g.ist().name());
                    m.put("arches", g.arches().stream().filter(e.arches()::contains).map(Arch::yamlName).toList());
                    m.put("condition", g.condition().isAlways() ? null : g.condition().toYaml());
                    if (g.tss() != null) {
                        m.put("tss", g.tss());
                    }
                    gates.add(m);
                }
            }
        });
        return gates;
    }

    /** How FRED delivers an entry (a kernel with FRED): routes and their details, or the exemption. */
    private static Map<String, Object> fred(Entry e) {
        Map<String, Object> f = new LinkedHashMap<>();
        if (e.fred().exempt() != null) {
            f.put("none", e.fred().exempt());
        } else {
            f.put("routes", e.fred().routes().stream().map(x -> x.yamlName()).toList());
            f.put("call", e.fred().call() != null ? e.fred().call() : e.handler());
            f.put("guard", e.fred().guard());
            f.put("fast_path", e.fred().fastPath());
            f.put("stack_level", e.fred().stackLevel());
        }
        return f;
    }

    private static Map<String, Object> arrayRow(VectorTable t, StubArray a) {
        Map<String, Object> r = new LinkedHashMap<>();
        Integer first = t.symbols().containsKey(a.first()) ? t.symbols().get(a.first()).number() : null;
        Integer end = t.symbols().containsKey(a.end()) ? t.symbols().get(a.end()).number() : null;
        r.put("vector", first);
        r.put("name", a.first());
        r.put("kind", "stub_array");
        r.put("handler", a.target());
        r.put("symbol", a.name());
        r.put("error_code", "vector");
        r.put("arches", a.arches().stream().map(Arch::yamlName).toList());
        r.put("condition", a.condition().isAlways() ? null : a.condition().toYaml());
        r.put("vectors", first == null || end == null ? null : List.of(first, end - 1));
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("table", "runtime");
        g.put("type", "interrupt");
        g.put("dpl", 0);
        g.put("ist", null);
        g.put("note", "set by idt_setup_apic_and_irq_gates() for every vector not taken by a system vector");
        r.put("gates", List.of(g));
        return r;
    }
}
