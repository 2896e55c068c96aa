package dev.idtgen.model;

import java.util.EnumSet;
import java.util.Set;

/** The gate tables of arch/x86/kernel/idt.c, in file order. */
public enum GateTable {
    EARLY("early", "early_idts", EnumSet.allOf(Arch.class)),
    DEF("def", "def_idts", EnumSet.allOf(Arch.class)),
    APIC("apic", "apic_idts", EnumSet.allOf(Arch.class)),
    EARLY_PF("early_pf", "early_pf_idts", EnumSet.of(Arch.X86_64));

    private final String yamlName;
    private final String cName;
    private final Set<Arch> arches;

    GateTable(String yamlName, String cName, Set<Arch> arches) {
        this.yamlName = yamlName;
        this.cName = cName;
        this.arches = arches;
    }

    public String yamlName() {
        return yamlName;
    }

    public String cName() {
        return cName;
    }

    /** The architectures that compile this table in. */
    public Set<Arch> arches() {
        return arches;
    }
}
