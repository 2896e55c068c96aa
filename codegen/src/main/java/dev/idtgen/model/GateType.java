package dev.idtgen.model;

/** The gate macros of idt.c: INTG/ISTG (interrupt), SYSG (system, DPL 3), TSKG (task). */
public enum GateType {
    INTERRUPT("interrupt"),
    SYSTEM("system"),
    TASK("task");

    private final String yamlName;

    GateType(String yamlName) {
        this.yamlName = yamlName;
    }

    public String yamlName() {
        return yamlName;
    }
}
