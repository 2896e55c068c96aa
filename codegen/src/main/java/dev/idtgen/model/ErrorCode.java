package dev.idtgen.model;

/** Who puts the error_code slot of pt_regs on the stack. */
public enum ErrorCode {
    /** Nothing: the stub pushes -1 (64-bit) or 0 (32-bit). */
    NONE("none"),
    /** The CPU pushes an architectural error code. */
    CPU("cpu"),
    /** The device-interrupt stub pushes its vector number. */
    VECTOR("vector");

    private final String yamlName;

    ErrorCode(String yamlName) {
        this.yamlName = yamlName;
    }

    public String yamlName() {
        return yamlName;
    }
}
