package dev.idtgen.importer;

import dev.idtgen.model.Condition;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The meaning of one {@code #if}/{@code #elif} expression for the table.
 * Only Kconfig tests have one: {@code defined(CONFIG_X)}, {@code defined
 * CONFIG_X}, a bare {@code CONFIG_X}, {@code IS_ENABLED(CONFIG_X)}, the
 * literals 0 and 1, {@code !}, {@code &&}, {@code ||} and parentheses.
 * A test of any other macro being defined (include guards,
 * {@code __ASSEMBLY__}) is <em>neutral</em>: it does not restrict the
 * table, on either side of its {@code #else}. Anything else (arithmetic,
 * comparisons, macro values) is <em>opaque</em>: lines under it cannot be
 * imported.
 *
 * @param condition the Kconfig condition, or null when neutral or opaque
 * @param opaque    why the expression has no meaning for the table, or null
 */
record IfExpression(Condition condition, String opaque) {

    static final IfExpression NEUTRAL = new IfExpression(null, null);

    static IfExpression of(Condition c) {
        return new IfExpression(c, null);
    }

    static IfExpression opaque(String why) {
        return new IfExpression(null, why);
    }

    boolean isOpaque() {
        return opaque != null;
    }

    boolean isNeutral() {
        return condition == null && opaque == null;
    }

    IfExpression not() {
        return condition == null ? this : of(Conditions.not(condition));
    }

    IfExpression and(IfExpression o) {
        if (isOpaque()) {
            return this;
        }
        if (o.isOpaque() || isNeutral()) {
            return o;
        }
        return o.isNeutral() ? this : of(Conditions.and(condition, o.condition));
    }

    IfExpression or(IfExpression o, String text) {
        if (isOpaque()) {
            return this;
        }
        if (o.isOpaque()) {
            return o;
        }
        if (isNeutral() || o.isNeutral()) {
            return opaque("'" + text + "' mixes a Kconfig test with another macro in ||");
        }
        return of(Conditions.or(condition, o.condition));
    }

    // ---- parsing ------------------------------------------------------------

    private static final Pattern TOKEN = Pattern.compile("\\s*([A-Za-z_][A-Za-z0-9_]*|[0-9]+[uUlL]*|&&|\\|\\||[()!])");

    /** Parses the expression of an {@code #if} or {@code #elif} line. */
    static IfExpression parse(String text) {
        List<String> tokens = new ArrayList<>();
        Matcher m = TOKEN.matcher(text);
        int at = 0;
        while (at < text.length()) {
            m.region(at, text.length());
            if (text.substring(at).isBlank()) {
                break;
            }
            if (!m.lookingAt()) {
                return opaque("'" + text.strip() + "' is not a Kconfig condition");
            }
            tokens.add(m.group(1));
            at = m.end();
        }
        Parser p = new Parser(tokens, text.strip());
        IfExpression e = p.or();
        if (e == null || p.pos != tokens.size()) {
            return opaque("'" + text.strip() + "' is not a Kconfig condition");
        }
        return e;
    }

    /** Recursive descent over the tokens; null means "not in the language". */
    private static final class Parser {
        private final List<String> tokens;
        private final String text;
        private int pos;

        Parser(List<String> tokens, String text) {
            this.tokens = tokens;
            this.text = text;
        }

        private String peek() {
            return pos < tokens.size() ? tokens.get(pos) : null;
        }

        private boolean take(String t) {
            if (t.equals(peek())) {
                pos++;
                return true;
            }
            return false;
        }

        IfExpression or() {
            IfExpression e = and();
            while (e != null && take("||")) {
                IfExpression r = and();
                e = r == null ? null : e.or(r, text);
            }
            return e;
        }

        IfExpression and() {
            IfExpression e = unary();
            while (e != null && take("&&")) {
                IfExpression r = unary();
                e = r == null ? null : e.and(r);
            }
            return e;
        }

        IfExpression unary() {
            if (take("!")) {
                IfExpression e = unary();
                return e == null ? null : e.not();
            }
            return primary();
        }

        IfExpression primary() {
            String t = peek();
            if (t == null) {
                return null;
            }
            pos++;
            if (t.equals("(")) {
                IfExpression e = or();
                return e != null && take(")") ? e : null;
            }
            if (t.equals("defined") || t.equals("IS_ENABLED")) {
                boolean paren = take("(");
                String sym = peek();
                if (sym == null || !Character.isJavaIdentifierStart(sym.charAt(0))) {
                    return null;
                }
                pos++;
                if (paren && !take(")")) {
                    return null;
                }
                if (!sym.startsWith("CONFIG_")) {
                    return t.equals("defined") ? NEUTRAL
                            : opaque("'" + text + "' tests IS_ENABLED() of a non-Kconfig macro");
                }
                return of(t.equals("defined") ? new Condition.Defined(sym) : new Condition.Enabled(sym));
            }
            if (Character.isDigit(t.charAt(0))) {
                return of(t.replaceAll("[uUlL]+$", "").matches("0+") ? Conditions.FALSE : Condition.ALWAYS);
            }
            if (t.startsWith("CONFIG_")) {
                return of(new Condition.Defined(t));
            }
            if (Character.isJavaIdentifierStart(t.charAt(0))) {
                return opaque("'" + text + "' reads the value of macro " + t);
            }
            return null;
        }
    }
}
