package dev.idtgen.model;

/** The gate macros of idt.c: INTG/ISTG (interrupt), SYSG (system, DPL 3), TSKG (task). */
public enum GateType implements YamlNamed {
    INTERRUPT,
    SYSTEM,
    TASK;
}
