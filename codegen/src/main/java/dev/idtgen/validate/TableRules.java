package dev.idtgen.validate;

import dev.idtgen.model.VectorTable;

/**
 * What the rules of one table's parts work with: the table, its Kconfig ({@link Configs}) and the findings
 * they add their problems to, which the {@link Validator} shares among them.
 */
abstract class TableRules {

    final VectorTable table;
    final Configs configs;
    final Findings found;

    TableRules(VectorTable table, Configs configs, Findings found) {
        this.table = table;
        this.configs = configs;
        this.found = found;
    }
}
