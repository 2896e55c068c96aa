package dev.idtgen.importer;

import java.nio.file.Path;

/**
 * A kernel file the importer cannot read, or a construct in it that the
 * table cannot express. The message starts with {@code file:line:} (or
 * {@code file:} when no line applies) so that it can be shown as it is.
 */
public final class ImportException extends Exception {
    private static final long serialVersionUID = 1L;

    /** A problem at {@code line} (1-based; 0 for the file as a whole) of {@code file}. */
    public ImportException(Path file, int line, String message) {
        super(file + (line > 0 ? ":" + line : "") + ": " + message);
    }
}
