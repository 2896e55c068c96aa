package dev.idtgen.asm;

import dev.idtgen.model.Arch;

/** The x86 operating mode a listing is assembled for (AT&T syntax in both). */
public enum Mode {
    BITS64(64),
    BITS32(32);

    private final int bits;

    Mode(int bits) {
        this.bits = bits;
    }

    public int bits() {
        return bits;
    }

    public static Mode of(Arch arch) {
        return arch == Arch.X86_64 ? BITS64 : BITS32;
    }
}
