package dev.idtgen.boot;

import dev.idtgen.kernel.Variant;
import dev.idtgen.model.VectorTable;

import java.util.Objects;

/**
 * The table each variant of a kernel was built from, which its boots are judged against: the stock kernel's is
 * upstream's own (imported from the stock tree), the generated kernel's is the table as the user edited it. For an
 * unedited table the two are the same table.
 */
public record KernelTables(VectorTable stock, VectorTable generated) {

    public KernelTables {
        Objects.requireNonNull(stock, "stock");
        Objects.requireNonNull(generated, "generated");
    }

    /** One table for both variants. */
    public static KernelTables same(VectorTable t) {
        return new KernelTables(t, t);
    }

    /** The table {@code v} was built from. */
    public VectorTable of(Variant v) {
        return v == Variant.STOCK ? stock : generated;
    }
}
