package dev.idtgen.boot;

/**
 * How the boots of a kernel deliver events to its entry code: through the
 * IDT (QEMU, whose CPUs have no FRED) or through FRED (Bochs with FRED
 * emulation, booted with {@code fred=on}). One built kernel can be booted
 * both ways: the same bytes, two delivery mechanisms.
 */
public enum Delivery {
    IDT, FRED;

    public String cliName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
