package dev.idtgen.edit;

import dev.idtgen.model.VectorTable;

import java.nio.file.Path;

/**
 * What a run builds and judges: the stock kernel's own table ({@code reference}) and the files rendered from it
 * ({@code stockGenerated}, whose tests go into the stock tree), the table as the user edited it, and the vectors the
 * edit changes. An unedited table is an edit with no change.
 */
public record Edit(VectorTable reference, Path stockGenerated, VectorTable edited, TableDiff diff) {

    /** No edit: {@code table} is both the stock kernel's table and the generated kernel's. */
    public static Edit none(VectorTable table, Path generated) {
        return new Edit(table, generated, table, TableDiff.between(table, table));
    }

    /** The user's {@code edited} table against the stock kernel's own. */
    public static Edit of(Reference r, VectorTable edited) {
        return between(r.table(), r.generated(), edited);
    }

    /** {@code edited} against {@code reference}, whose rendering is {@code stockGenerated}. */
    public static Edit between(VectorTable reference, Path stockGenerated, VectorTable edited) {
        return new Edit(reference, stockGenerated, edited, TableDiff.between(reference, edited));
    }

    /** Whether the edit changes any vector. */
    public boolean changes() {
        return !diff.isEmpty();
    }
}
