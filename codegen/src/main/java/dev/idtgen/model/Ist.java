package dev.idtgen.model;

/** The x86_64 interrupt stacks (IST_INDEX_* of asm/cpu_entry_area.h). */
public enum Ist {
    DF, NMI, DB, MCE, VC;

    public String indexMacro() {
        return "IST_INDEX_" + name();
    }
}
