package dev.idtgen.model;

import java.util.Arrays;
import java.util.Optional;

/**
 * The rule a {@link Problem} breaks, printed by its id ({@code vector-range}).
 * The input rules (syntax, types, keys) hold for every YAML file idtgen reads;
 * the table rules are the vector table's; a waivable rule may be waived by an
 * entry or gate of the table ({@code waive: {RULE: why}}).
 */
public enum Rule {
    // any input file
    IO("io"),
    YAML_SYNTAX("yaml-syntax"),
    WRONG_TYPE("wrong-type"),
    UNKNOWN_KEY("unknown-key"),
    MISSING_KEY("missing-key"),
    DUPLICATE_KEY("duplicate-key"),
    BAD_VALUE("bad-value"),
    // the table's loader
    C_IDENTIFIER("c-identifier"),
    BAD_CONDITION("bad-condition"),
    UNKNOWN_KERNEL("unknown-kernel"),
    // the table's validator
    UNKNOWN_SYMBOL("unknown-symbol"),
    VECTOR_MISMATCH("vector-mismatch"),
    VECTOR_RANGE("vector-range"),
    SYMBOL_CONDITION("symbol-condition"),
    KIND_ARCH("kind-arch"),
    KIND_ERROR_CODE("kind-error-code"),
    ERROR_CODE("error-code"),
    SYSTEM_VECTOR_RANGE("system-vector-range", true),
    DEVICE_VECTOR_RANGE("device-vector-range"),
    OTHERWISE("otherwise"),
    DUPLICATE_HANDLER("duplicate-handler"),
    DUPLICATE_VECTOR("duplicate-vector"),
    STUB_TARGET("stub-target"),
    GATE_TABLE_ARCH("gate-table-arch"),
    GATE_TARGET("gate-target"),
    GATE_TYPE("gate-type"),
    DPL3("dpl3", true),
    IST_ARCH("ist-arch"),
    IST_KIND("ist-kind"),
    IST_MISSING("ist-missing"),
    DUPLICATE_GATE("duplicate-gate"),
    WAIVER("waiver"),
    // the table's FRED rules
    FRED_ROUTE("fred-route", true),
    FRED_SYSVEC("fred-sysvec"),
    FRED_FALLBACK("fred-fallback"),
    FRED_INTX("fred-intx", true),
    FRED_STACK_LEVEL("fred-stack-level"),
    FRED_GUARD("fred-guard");

    private final String id;
    private final boolean waivable;

    Rule(String id) {
        this(id, false);
    }

    Rule(String id, boolean waivable) {
        this.id = id;
        this.waivable = waivable;
    }

    /** The id as printed and as a table's {@code waive} names it. */
    public String id() {
        return id;
    }

    /** Whether an entry or gate of the table may waive it. */
    public boolean waivable() {
        return waivable;
    }

    /** The rule of an id, or empty. */
    public static Optional<Rule> of(String id) {
        return Arrays.stream(values()).filter(r -> r.id.equals(id)).findFirst();
    }

    @Override
    public String toString() {
        return id;
    }
}
