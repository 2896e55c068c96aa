package dev.idtgen.render;

import dev.idtgen.model.Arch;
import dev.idtgen.model.Condition;
import dev.idtgen.model.Entry;
import dev.idtgen.model.ErrorCode;
import dev.idtgen.model.Fred;
import dev.idtgen.model.Kind;
import dev.idtgen.model.VectorTable;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The template variable {@code fred}: FRED's per-vector dispatch of a
 * kernel with FRED (x86_64 only), from the entries' fred routes. Switch
 * cases come unconditional first, then conditional, each in vector order,
 * and a guarded case (one that falls through to the default when its guard
 * fails) last: the order changes GCC's code layout, and this is upstream's.
 * The sysvec_table rows are in table order (designated initializers: the
 * order does not change the array).
 */
final class FredModel {

    private FredModel() {
    }

    static Map<String, Object> of(VectorTable t) {
        Map<String, Object> v = new LinkedHashMap<>();
        List<Entry> routed = t.entries().stream()
                .filter(e -> e.fred() != null && e.arches().contains(Arch.X86_64)).toList();
        v.put("fast", cases(routed, Fred.Route.HWEXC, true));
        v.put("hwexc", cases(routed, Fred.Route.HWEXC, false));
        v.put("swexc", cases(routed, Fred.Route.SWEXC, false));
        v.put("intx", cases(routed, Fred.Route.INTX, false));
        List<Map<String, Object>> sysvec = new ArrayList<>();
        for (Entry e : routed) {
            if (e.fred().has(Fred.Route.SYSVEC)) {
                Map<String, Object> r = new LinkedHashMap<>();
                // a designated initializer, as upstream's SYSVEC() expands; broken after '=' beyond 100 columns
                String index = "[" + e.vector() + " - FIRST_SYSTEM_VECTOR] =";
                String value = "fred_" + e.handler() + ",";
                r.put("lines", 8 + index.length() + 1 + value.length() <= 100
                        ? List.of("\t" + index + " " + value) : List.of("\t" + index, "\t\t" + value));
                sysvec.add(r);
            }
        }
        v.put("sysvec", sysvec);
        List<Map<String, Object>> vc = new ArrayList<>();
        for (Entry e : routed) {
            if (e.kind() == Kind.VC && e.fred().has(Fred.Route.HWEXC)) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("handler", e.handler());
                r.put("cond", TemplateModel.cond(e.condition()));
                vc.add(r);
            }
        }
        v.put("vc_wrappers", vc);
        List<Map<String, Object>> levels = new ArrayList<>();
        ownStacks(t).forEach(e -> {
                    Map<String, Object> r = new LinkedHashMap<>();
                    String name = "FRED_" + e.vector().replaceFirst("^X86_TRAP_", "") + "_STACK_LEVEL";
                    r.put("vector", e.vector());
                    r.put("name", name);
                    r.put("pad", TemplateModel.tabsTo("#define ".length() + name.length(), 40));
                    r.put("level", e.fred().stackLevel());
                    levels.add(r);
                });
        v.put("stack_levels", levels);
        // #define FRED_STKLVLS (FRED_STKLVL(v, l) | ...), one term per line, backslashes at column 72
        List<String> lines = new ArrayList<>();
        lines.add("#define FRED_STKLVLS" + TemplateModel.tabsTo("#define FRED_STKLVLS".length(), 72) + "\\");
        for (int i = 0; i < levels.size(); i++) {
            Map<String, Object> l = levels.get(i);
            boolean last = i == levels.size() - 1;
            String term = (i == 0 ? "(" : " ") + "FRED_STKLVL(" + l.get("vector") + ", " + l.get("name") + ")"
                    + (last ? ")" : " |");
            lines.add("\t" + term + (last ? "" : TemplateModel.tabsTo(8 + term.length(), 72) + "\\"));
        }
        v.put("stklvls", levels.isEmpty() ? List.of("#define FRED_STKLVLS\t0UL") : lines);
        return v;
    }

    /** The x86_64 entries FRED delivers on a stack level of their own (above 0), in vector order. */
    static List<Entry> ownStacks(VectorTable t) {
        return t.entries().stream().filter(e -> e.fred() != null && e.fred().stackLevel() != null
                        && e.fred().stackLevel() > 0 && e.arches().contains(Arch.X86_64))
                .sorted(Comparator.comparing(Entry::number)).toList();
    }

    /** The cases of one dispatcher's switch (or its fast paths), each under its condition. */
    private static List<Map<String, Object>> cases(List<Entry> routed, Fred.Route route, boolean fastPaths) {
        List<Entry> es = new ArrayList<>(routed.stream()
                .filter(e -> e.fred().has(route) && (route != Fred.Route.HWEXC || e.fred().fastPath() == fastPaths))
                .toList());
        // upstream's order, which GCC's code layout follows: the unconditional cases, then the conditional
        // ones, each by vector number; a guarded case (it falls through to the default) last of all
        es.sort(Comparator.comparing((Entry e) -> e.fred().guard() != null)
                .thenComparing(e -> !e.condition().isAlways()).thenComparing(Entry::number));
        List<Map<String, Object>> out = new ArrayList<>();
        for (Entry e : es) {
            Map<String, Object> c = new LinkedHashMap<>();
            String call = e.fred().call() != null ? e.fred().call() : e.handler();
            // the dispatchers pass the error code to the handlers that take one
            boolean ec = e.errorCode() == ErrorCode.CPU;
            c.put("vector", e.vector());
            c.put("call", call + (ec ? "(regs, error_code)" : "(regs)"));
            c.put("guard", e.fred().guard() == null ? "" : e.fred().guard() + "()");
            Condition cond = e.condition();
            c.put("cond", TemplateModel.cond(cond));
            out.add(c);
        }
        return out;
    }
}
