package dev.idtgen.asm;

/** A listing that could not be assembled, or an assembler that could not run. */
public final class AsmException extends Exception {
    private static final long serialVersionUID = 1L;

    public AsmException(String message) {
        super(message);
    }

    public AsmException(String message, Throwable cause) {
        super(message, cause);
    }
}
