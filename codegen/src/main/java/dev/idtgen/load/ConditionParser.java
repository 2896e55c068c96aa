package dev.idtgen.load;

import dev.idtgen.model.Condition;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the condition language of the table (see {@link Condition}):
 * <pre>
 *   expr    := and ('||' and)*
 *   and     := unary ('&&' unary)*
 *   unary   := '!' unary | primary
 *   primary := '(' expr ')' | 'defined' '(' SYM ')' | 'IS_ENABLED' '(' SYM ')' | SYM
 *   SYM     := CONFIG_[A-Za-z0-9_]+
 * </pre>
 */
public final class ConditionParser {

    /** A parse failure at a 0-based offset into the text. */
    public static final class SyntaxError extends Exception {
        private static final long serialVersionUID = 1L;
        private final int offset;

        SyntaxError(int offset, String message) {
            super(message);
            this.offset = offset;
        }

        public int offset() {
            return offset;
        }
    }

    private static final Pattern TOKEN = Pattern.compile(
            "\\s*(?:(?<id>[A-Za-z_][A-Za-z0-9_]*)|(?<op>&&|\\|\\||[()!]))");
    private static final Pattern CONFIG = Pattern.compile("CONFIG_[A-Za-z0-9_]+");

    /** Levels of '!' and parentheses a condition may nest: real ones use two or three. */
    static final int MAX_DEPTH = 50;
    /** '&&' and '||' in one condition: each deepens the (left-leaning) tree that is evaluated recursively. */
    static final int MAX_OPERATORS = 100;

    private final String text;
    private int depth;
    private int operators;
    private int pos;
    private String tok;
    private int tokStart;

    private ConditionParser(String text) {
        this.text = text;
    }

    public static Condition parse(String text) throws SyntaxError {
        ConditionParser p = new ConditionParser(text);
        p.advance();
        if (p.tok == null) {
            throw new SyntaxError(0, "empty condition");
        }
        Condition c = p.or();
        if (p.tok != null) {
            throw new SyntaxError(p.tokStart, "unexpected '" + p.tok + "'");
        }
        return c;
    }

    private void advance() throws SyntaxError {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
        if (pos >= text.length()) {
            tok = null;
            tokStart = pos;
            return;
        }
        Matcher m = TOKEN.matcher(text);
        m.region(pos, text.length());
        if (!m.lookingAt()) {
            throw new SyntaxError(pos, "unexpected character '" + text.charAt(pos)
                    + "' (only CONFIG_ symbols, defined(), IS_ENABLED(), !, &&, || and parentheses)");
        }
        tokStart = m.start(m.group("id") != null ? "id" : "op");
        tok = m.group("id") != null ? m.group("id") : m.group("op");
        pos = m.end();
    }

    private void expect(String t) throws SyntaxError {
        if (!t.equals(tok)) {
            throw new SyntaxError(tokStart, "expected '" + t + "'" + (tok == null ? " at end" : " before '" + tok + "'"));
        }
        advance();
    }

    private Condition or() throws SyntaxError {
        Condition c = and();
        while ("||".equals(tok)) {
            operator();
            advance();
            c = new Condition.Or(c, and());
        }
        return c;
    }

    private Condition and() throws SyntaxError {
        Condition c = unary();
        while ("&&".equals(tok)) {
            operator();
            advance();
            c = new Condition.And(c, unary());
        }
        return c;
    }

    private Condition unary() throws SyntaxError {
        if ("!".equals(tok)) {
            nest();
            advance();
            Condition c = new Condition.Not(unary());
            depth--;
            return c;
        }
        return primary();
    }

    /** Counts one more level of nesting; the parser and every use of a condition recurse on it. */
    private void nest() throws SyntaxError {
        if (++depth > MAX_DEPTH) {
            throw new SyntaxError(tokStart, "condition nests too deeply (more than " + MAX_DEPTH
                    + " levels of '!' and parentheses)");
        }
    }

    private void operator() throws SyntaxError {
        if (++operators > MAX_OPERATORS) {
            throw new SyntaxError(tokStart, "condition has too many operators (more than " + MAX_OPERATORS
                    + " '&&' and '||')");
        }
    }

    private Condition primary() throws SyntaxError {
        if (tok == null) {
            throw new SyntaxError(tokStart, "condition ends too early");
        }
        if ("(".equals(tok)) {
            nest();
            advance();
            Condition c = or();
            expect(")");
            depth--;
            return c;
        }
        if ("defined".equals(tok) || "IS_ENABLED".equals(tok)) {
            boolean defined = "defined".equals(tok);
            advance();
            expect("(");
            String sym = symbol();
            expect(")");
            return defined ? new Condition.Defined(sym) : new Condition.Enabled(sym);
        }
        return new Condition.Defined(symbol());
    }

    private String symbol() throws SyntaxError {
        if (tok == null || !CONFIG.matcher(tok).matches()) {
            throw new SyntaxError(tokStart, (tok == null ? "end of condition" : "'" + tok + "'")
                    + " is not a Kconfig symbol (CONFIG_...)");
        }
        String s = tok;
        advance();
        return s;
    }
}
