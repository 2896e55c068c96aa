package dev.idtgen.boot;

import dev.idtgen.model.Arch;
import dev.idtgen.model.Condition;
import dev.idtgen.model.Entry;
import dev.idtgen.model.Gate;
import dev.idtgen.model.VectorTable;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the table says a built kernel must do, evaluated against that
 * kernel's .config: which entries are compiled in, and which vectors user
 * space may reach with int $n (the DPL 3 gates). The boot tests read their
 * expectations from here, never from a list of their own.
 */
public final class Expectations {

    private Expectations() {
    }

    /** A .config (option to value, "n" for unset) as the condition language sees it. */
    public static Map<String, Condition.Tristate> tristates(Map<String, String> config) {
        return dev.idtgen.kernel.KernelConfigurator.tristates(config);
    }

    /** The entries compiled into a kernel of {@code arch} with this configuration, in table order. */
    public static List<Entry> compiledIn(VectorTable t, Arch arch, Map<String, Condition.Tristate> cfg) {
        return t.entries().stream().filter(e -> e.arches().contains(arch) && e.condition().eval(cfg)).toList();
    }

    /** The vector numbers whose gate is DPL 3 in a kernel of {@code arch} with this configuration. */
    public static Set<Integer> userVectors(VectorTable t, Arch arch, Map<String, Condition.Tristate> cfg) {
        Set<Integer> out = new TreeSet<>();
        for (List<Gate> gates : t.gates().values()) {
            for (Gate g : gates) {
                if (g.dpl() != 3 || !g.arches().contains(arch) || !g.table().arches().contains(arch)
                        || !g.condition().eval(cfg)) {
                    continue;
                }
                for (Entry e : t.entries()) {
                    if (e.handler().equals(g.handler()) && e.arches().contains(arch) && e.number() != null
                            && e.condition().eval(cfg)) {
                        out.add(e.number());
                    }
                }
            }
        }
        return out;
    }
}
