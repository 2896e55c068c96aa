package dev.idtgen.model;

/**
 * Which assembly stub an entry point gets on one architecture. Each style is
 * one macro of the entry templates (the former asm macros of entry_64.S and
 * entry_32.S); {@link #NONE} emits no assembly at all.
 */
public enum StubStyle {
    /** No stub: C only (sw, nmi, external; df and xencb on i386). */
    NONE,
    /** The plain idtentry stub, with or without a hardware error code. */
    IDTENTRY,
    /** The device-interrupt entry the stub arrays jump to. */
    IRQ,
    /** The paranoid #MC/#DB stub (x86_64). */
    MCE_DB,
    /** The #DF stub (x86_64). */
    DF,
    /** The #VC stub (x86_64). */
    VC;

    public String templateName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
