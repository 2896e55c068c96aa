package dev.idtgen.asm;

import dev.idtgen.model.Arch;
import dev.idtgen.model.Symbol;
import dev.idtgen.model.VectorTable;

import java.util.Map;

/**
 * The {@code flat} variable of the templates' flat-listing mode (see
 * templates/kernel_asm.j2): one architecture and one .config. Its presence
 * switches the templates from kernel source to flat listings; the templates
 * ask it for Kconfig options, constants and vector numbers, and decide
 * everything else themselves.
 */
public final class FlatContext {

    private final Arch arch;
    private final Map<String, String> config;
    private final KernelConstants constants;
    private final VectorTable table;

    public FlatContext(Arch arch, Map<String, String> config, KernelConstants constants, VectorTable table) {
        this.arch = arch;
        this.config = config;
        this.constants = constants;
        this.table = table;
    }

    /** 64 or 32. */
    public int getBits() {
        return arch == Arch.X86_64 ? 64 : 32;
    }

    /** True when the option is built in ({@code CONFIG_X=y}). */
    public boolean y(String option) {
        return "y".equals(config.get(option));
    }

    /** A constant of {@link KernelConstants}, as the listing writes it. */
    public String c(String name) {
        return Long.toString(constants.get(name));
    }

    /** The number of a vector symbol of the table (FIRST_EXTERNAL_VECTOR, NR_VECTORS, ...). */
    public int number(String symbol) {
        Symbol s = table.symbols().get(symbol);
        if (s == null) {
            throw new IllegalArgumentException("the table has no vector symbol " + symbol);
        }
        return s.number();
    }

    public Arch arch() {
        return arch;
    }

    public Map<String, String> config() {
        return config;
    }

    public KernelConstants constants() {
        return constants;
    }
}
