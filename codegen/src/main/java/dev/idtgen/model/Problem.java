package dev.idtgen.model;

/**
 * One thing wrong with the input: where, which rule, what. Printed as
 * {@code file:line:column: rule: message}.
 */
public record Problem(Pos pos, Rule rule, String message) implements Comparable<Problem> {

    @Override
    public String toString() {
        return pos + ": " + rule + ": " + message;
    }

    @Override
    public int compareTo(Problem o) {
        int c = pos.file().compareTo(o.pos.file());
        if (c == 0) {
            c = Integer.compare(pos.line(), o.pos.line());
        }
        if (c == 0) {
            c = Integer.compare(pos.column(), o.pos.column());
        }
        return c == 0 ? rule.id().compareTo(o.rule.id()) : c;
    }
}
