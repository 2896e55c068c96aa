package dev.idtgen.importer;

import dev.idtgen.model.Arch;
import dev.idtgen.model.Condition;

import java.util.function.BiPredicate;

/**
 * Constant folding on {@link Condition}s. The importer needs a false
 * constant, which the table's condition language has no word for: it is
 * written {@code !1} here ({@link #FALSE}) and never reaches a table.
 */
final class Conditions {

    /** The condition that never holds (the {@code #else} of an unconditional branch, {@code #if 0}). */
    static final Condition FALSE = new Condition.Not(Condition.ALWAYS);

    private Conditions() {
    }

    static boolean isFalse(Condition c) {
        return FALSE.equals(c);
    }

    static Condition not(Condition c) {
        if (c.isAlways()) {
            return FALSE;
        }
        if (c instanceof Condition.Not n) {
            return n.operand();
        }
        return new Condition.Not(c);
    }

    static Condition and(Condition a, Condition b) {
        if (isFalse(a) || isFalse(b)) {
            return FALSE;
        }
        return Condition.and(a, b);
    }

    static Condition or(Condition a, Condition b) {
        if (a.isAlways() || b.isAlways()) {
            return Condition.ALWAYS;
        }
        if (isFalse(a)) {
            return b;
        }
        if (isFalse(b)) {
            return a;
        }
        return new Condition.Or(a, b);
    }

    /**
     * {@code c} as seen when building for {@code arch}: the architecture
     * symbols become constants, and so does every symbol that
     * {@code impossible} says cannot be enabled on {@code arch} (false).
     */
    static Condition forArch(Condition c, Arch arch, BiPredicate<String, Arch> impossible) {
        if (c instanceof Condition.Defined || c instanceof Condition.Enabled) {
            String s = c instanceof Condition.Defined d ? d.symbol() : ((Condition.Enabled) c).symbol();
            for (Arch a : Arch.values()) {
                if (a.kconfig().equals(s)) {
                    return a == arch ? Condition.ALWAYS : FALSE;
                }
            }
            return impossible.test(s, arch) ? FALSE : c;
        } else if (c instanceof Condition.Not n) {
            return not(forArch(n.operand(), arch, impossible));
        } else if (c instanceof Condition.And a) {
            return and(forArch(a.left(), arch, impossible), forArch(a.right(), arch, impossible));
        } else if (c instanceof Condition.Or o) {
            return or(forArch(o.left(), arch, impossible), forArch(o.right(), arch, impossible));
        }
        return c;
    }
}
