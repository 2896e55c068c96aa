package dev.idtgen.model;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A Kconfig condition as the preprocessor sees it: {@code defined(CONFIG_X)}
 * (also written as a bare {@code CONFIG_X}), {@code IS_ENABLED(CONFIG_X)},
 * {@code !}, {@code &&}, {@code ||} and parentheses. Nothing else can be
 * expressed, so nothing else can reach an {@code #if} line.
 */
public sealed interface Condition {

    /** The value of a Kconfig symbol: y, m or n. */
    enum Tristate { N, M, Y }

    /** Always true: no condition. */
    record Always() implements Condition {
    }

    /** {@code defined(CONFIG_X)}: the option is built in. */
    record Defined(String symbol) implements Condition {
    }

    /** {@code IS_ENABLED(CONFIG_X)}: the option is built in or a module. */
    record Enabled(String symbol) implements Condition {
    }

    record Not(Condition operand) implements Condition {
    }

    record And(Condition left, Condition right) implements Condition {
    }

    record Or(Condition left, Condition right) implements Condition {
    }

    Condition ALWAYS = new Always();

    static Condition and(Condition a, Condition b) {
        if (a instanceof Always) {
            return b;
        }
        if (b instanceof Always) {
            return a;
        }
        return new And(a, b);
    }

    default boolean isAlways() {
        return this instanceof Always;
    }

    /** The Kconfig symbols this condition reads. */
    default Set<String> symbols() {
        Set<String> out = new TreeSet<>();
        collect(this, out);
        return out;
    }

    private static void collect(Condition c, Set<String> out) {
        if (c instanceof Defined d) {
            out.add(d.symbol());
        } else if (c instanceof Enabled e) {
            out.add(e.symbol());
        } else if (c instanceof Not n) {
            collect(n.operand(), out);
        } else if (c instanceof And a) {
            collect(a.left(), out);
            collect(a.right(), out);
        } else if (c instanceof Or o) {
            collect(o.left(), out);
            collect(o.right(), out);
        }
    }

    /** Evaluates the condition for one assignment; a symbol missing from it is n. */
    default boolean eval(Map<String, Tristate> config) {
        if (this instanceof Always) {
            return true;
        } else if (this instanceof Defined d) {
            return config.getOrDefault(d.symbol(), Tristate.N) == Tristate.Y;
        } else if (this instanceof Enabled e) {
            return config.getOrDefault(e.symbol(), Tristate.N) != Tristate.N;
        } else if (this instanceof Not n) {
            return !n.operand().eval(config);
        } else if (this instanceof And a) {
            return a.left().eval(config) && a.right().eval(config);
        } else {
            Or o = (Or) this;
            return o.left().eval(config) || o.right().eval(config);
        }
    }

    /** The expression for an {@code #if} line, with only the parentheses it needs. */
    default String toC() {
        return render(this, 0);
    }

    /** The single symbol when this is a plain {@code defined(CONFIG_X)} (an {@code #ifdef}), else null. */
    default String ifdefSymbol() {
        return this instanceof Defined d ? d.symbol() : null;
    }

    /** The canonical text of the table: a bare symbol for defined(). */
    default String toYaml() {
        if (this instanceof Always) {
            return "";
        }
        return render(this, 0).replaceAll("defined\\((CONFIG_[A-Za-z0-9_]+)\\)", "$1");
    }

    private static String render(Condition c, int parentPrec) {
        if (c instanceof Always) {
            return "1";
        } else if (c instanceof Defined d) {
            return "defined(" + d.symbol() + ")";
        } else if (c instanceof Enabled e) {
            return "IS_ENABLED(" + e.symbol() + ")";
        } else if (c instanceof Not n) {
            return "!" + render(n.operand(), 3);
        } else if (c instanceof And a) {
            String s = render(a.left(), 2) + " && " + render(a.right(), 2);
            return parentPrec > 2 ? "(" + s + ")" : s;
        } else {
            Or o = (Or) c;
            String s = render(o.left(), 1) + " || " + render(o.right(), 1);
            return parentPrec > 1 ? "(" + s + ")" : s;
        }
    }
}
