package dev.idtgen.validate;

import dev.idtgen.model.Arch;
import dev.idtgen.model.Condition;
import dev.idtgen.model.Condition.Tristate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides questions about conditions by trying every configuration of the
 * Kconfig symbols they read (y, m, n each; the architecture symbol fixed).
 * Conditions in the table read a handful of symbols, so this is exact and
 * cheap.
 */
final class Configs {

    private static final int MAX_SYMBOLS = 12;

    /** Kconfig facts: a symbol that is y or m only when its condition holds. */
    private final Map<String, Condition> facts;

    Configs(Map<String, Condition> facts) {
        this.facts = facts;
    }

    /** True when {@code a} holds in every configuration of {@code arch} in which {@code b} holds. */
    boolean implies(Arch arch, Condition b, Condition a) {
        return forAll(arch, List.of(a, b), cfg -> !b.eval(cfg) || a.eval(cfg));
    }

    /** True when some configuration of {@code arch} makes both conditions hold. */
    boolean overlap(Arch arch, Condition a, Condition b) {
        return !forAll(arch, List.of(a, b), cfg -> !(a.eval(cfg) && b.eval(cfg)));
    }

    /** True when some configuration of {@code arch} makes the condition hold. */
    boolean satisfiable(Arch arch, Condition a) {
        return overlap(arch, a, Condition.ALWAYS);
    }

    /** A configuration of {@code arch} in which {@code b} holds and {@code a} does not, for messages. */
    String counterexample(Arch arch, Condition b, Condition a) {
        List<String> found = new ArrayList<>();
        forAll(arch, List.of(a, b), cfg -> {
            if (b.eval(cfg) && !a.eval(cfg)) {
                List<String> parts = new ArrayList<>();
                new TreeSet<>(cfg.keySet()).forEach(k -> {
                    if (!k.equals(Arch.X86_64.kconfig()) && !k.equals(Arch.I386.kconfig())) {
                        parts.add(k + "=" + cfg.get(k).name().toLowerCase(java.util.Locale.ROOT));
                    }
                });
                found.add(arch.yamlName() + (parts.isEmpty() ? "" : " with " + String.join(", ", parts)));
                return false;
            }
            return true;
        });
        return found.isEmpty() ? arch.yamlName() : found.get(0);
    }

    /** The conditions of one question read too many symbols to try every configuration. */
    static final class TooManySymbols extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        TooManySymbols(List<String> symbols) {
            super("the conditions read " + symbols.size() + " Kconfig symbols (with their kconfig facts), more than "
                    + MAX_SYMBOLS + ": too many to check every configuration (" + String.join(", ", symbols) + ")");
        }
    }

    private interface Check {
        boolean holds(Map<String, Tristate> cfg);
    }

    private boolean forAll(Arch arch, List<Condition> conds, Check check) {
        Set<String> syms = new TreeSet<>();
        conds.forEach(c -> syms.addAll(c.symbols()));
        List<String> work = new ArrayList<>(syms);
        while (!work.isEmpty()) {
            Condition f = facts.get(work.remove(work.size() - 1));
            if (f != null) {
                for (String s : f.symbols()) {
                    if (syms.add(s)) {
                        work.add(s);
                    }
                }
            }
        }
        List<Map.Entry<String, Condition>> relevant = new ArrayList<>();
        for (String s : syms) {
            if (facts.containsKey(s)) {
                relevant.add(Map.entry(s, facts.get(s)));
            }
        }
        syms.remove(Arch.X86_64.kconfig());
        syms.remove(Arch.I386.kconfig());
        List<String> vars = new ArrayList<>(syms);
        if (vars.size() > MAX_SYMBOLS) {
            throw new TooManySymbols(vars);
        }
        int n = vars.size();
        int total = 1;
        for (int i = 0; i < n; i++) {
            total *= 3;
        }
        Map<String, Tristate> cfg = new HashMap<>();
        cfg.put(arch.kconfig(), Tristate.Y);
        for (int code = 0; code < total; code++) {
            int c = code;
            for (String v : vars) {
                cfg.put(v, Tristate.values()[c % 3]);
                c /= 3;
            }
            if (!possible(cfg, relevant)) {
                continue;
            }
            if (!check.holds(cfg)) {
                return false;
            }
        }
        return true;
    }

    private static boolean possible(Map<String, Tristate> cfg, List<Map.Entry<String, Condition>> relevant) {
        for (Map.Entry<String, Condition> f : relevant) {
            if (cfg.getOrDefault(f.getKey(), Tristate.N) != Tristate.N && !f.getValue().eval(cfg)) {
                return false;
            }
        }
        return true;
    }
}
