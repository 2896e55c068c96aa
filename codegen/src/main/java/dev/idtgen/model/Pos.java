package dev.idtgen.model;

/**
 * A position in a source file, 1-based line and column, as printed in
 * diagnostics ({@code file:line:column}).
 */
public record Pos(String file, int line, int column) {
    public static Pos of(String file) {
        return new Pos(file, 0, 0);
    }

    @Override
    public String toString() {
        return line > 0 ? file + ":" + line + ":" + column : file;
    }
}
