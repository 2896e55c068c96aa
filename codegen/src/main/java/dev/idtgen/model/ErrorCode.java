package dev.idtgen.model;

/** Who puts the error_code slot of pt_regs on the stack. */
public enum ErrorCode implements YamlNamed {
    /** Nothing: the stub pushes -1 (64-bit) or 0 (32-bit). */
    NONE,
    /** The CPU pushes an architectural error code. */
    CPU,
    /** The device-interrupt stub pushes its vector number. */
    VECTOR;
}
