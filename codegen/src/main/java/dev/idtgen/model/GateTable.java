package dev.idtgen.model;

import java.util.EnumSet;
import java.util.Set;

/** The gate tables of arch/x86/kernel/idt.c, in file order. */
public enum GateTable implements YamlNamed {
    EARLY("early_idts", EnumSet.allOf(Arch.class),
            "Early traps running on the DEFAULT_STACK because the other interrupt\n"
            + " * stacks work only after cpu_init()."),
    DEF("def_idts", EnumSet.allOf(Arch.class),
            "The default IDT entries which are set up in trap_init() before\n"
            + " * cpu_init() is invoked. Interrupt stacks cannot be used at that point and\n"
            + " * the traps which use them are reinitialized with IST after cpu_init() has\n"
            + " * set up TSS."),
    IA32("ia32_idt", EnumSet.allOf(Arch.class),
            "The int 0x80 gates: idt_setup_traps() installs them only when\n"
            + " * ia32_enabled()."),
    APIC("apic_idts", EnumSet.allOf(Arch.class), "The APIC and SMP idt entries"),
    EARLY_PF("early_pf_idts", EnumSet.of(Arch.X86_64),
            "Early traps running on the DEFAULT_STACK because the other interrupt\n"
            + " * stacks work only after cpu_init().");

    private final String cName;
    private final Set<Arch> arches;
    private final String doc;

    GateTable(String cName, Set<Arch> arches, String doc) {
        this.cName = cName;
        this.arches = arches;
        this.doc = doc;
    }

    /** The comment upstream puts above the table (continuation lines start with " * "). */
    public String doc() {
        return doc;
    }

    public String cName() {
        return cName;
    }

    /** The architectures that compile this table in. */
    public Set<Arch> arches() {
        return arches;
    }
}
