package dev.idtgen.model;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Entry kinds, one per upstream DECLARE_IDTENTRY*() variant. A kind fixes
 * which architectures have it, who pushes the error code, whether it is a
 * paranoid IST entry on x86_64, the C declaration macro and the stub style
 * per architecture.
 */
public enum Kind implements YamlNamed {
    PLAIN("DECLARE_IDTENTRY", ErrorCode.NONE, null, StubStyle.IDTENTRY, StubStyle.IDTENTRY, EntryClass.EXCEPTION),
    SW("DECLARE_IDTENTRY_SW", ErrorCode.NONE, null, StubStyle.NONE, StubStyle.NONE, EntryClass.EXCEPTION),
    ERRORCODE("DECLARE_IDTENTRY_ERRORCODE", ErrorCode.CPU, null, StubStyle.IDTENTRY, StubStyle.IDTENTRY, EntryClass.EXCEPTION),
    RAW("DECLARE_IDTENTRY_RAW", ErrorCode.NONE, null, StubStyle.IDTENTRY, StubStyle.IDTENTRY, EntryClass.EXCEPTION),
    RAW_ERRORCODE("DECLARE_IDTENTRY_RAW_ERRORCODE", ErrorCode.CPU, null, StubStyle.IDTENTRY, StubStyle.IDTENTRY, EntryClass.EXCEPTION),
    IRQ("DECLARE_IDTENTRY_IRQ", ErrorCode.VECTOR, null, StubStyle.IRQ, StubStyle.IRQ, EntryClass.DEVICE),
    SYSVEC("DECLARE_IDTENTRY_SYSVEC", ErrorCode.NONE, null, StubStyle.IDTENTRY, StubStyle.IDTENTRY, EntryClass.SYSTEM),
    /** A system vector defined with DEFINE_IDTENTRY_SYSVEC_SIMPLE (runs on the interrupted stack). */
    SYSVEC_SIMPLE("DECLARE_IDTENTRY_SYSVEC", ErrorCode.NONE, null, StubStyle.IDTENTRY, StubStyle.IDTENTRY, EntryClass.SYSTEM),
    MCE("DECLARE_IDTENTRY_MCE", ErrorCode.NONE, Ist.MCE, StubStyle.MCE_DB, null, EntryClass.EXCEPTION),
    DEBUG("DECLARE_IDTENTRY_DEBUG", ErrorCode.NONE, Ist.DB, StubStyle.MCE_DB, null, EntryClass.EXCEPTION),
    DF("DECLARE_IDTENTRY_DF", ErrorCode.CPU, Ist.DF, StubStyle.DF, StubStyle.NONE, EntryClass.EXCEPTION),
    VC("DECLARE_IDTENTRY_VC", ErrorCode.CPU, Ist.VC, StubStyle.VC, null, EntryClass.EXCEPTION),
    NMI("DECLARE_IDTENTRY_NMI", ErrorCode.NONE, Ist.NMI, StubStyle.NONE, StubStyle.NONE, EntryClass.EXCEPTION),
    XENCB("DECLARE_IDTENTRY_XENCB", ErrorCode.NONE, null, StubStyle.IDTENTRY, StubStyle.NONE, EntryClass.CALLBACK),
    /** A hand-written entry point (entry_INT80_32): no declaration, no stub, only its gate. */
    EXTERNAL(null, ErrorCode.NONE, null, StubStyle.NONE, StubStyle.NONE, EntryClass.SOFTWARE);

    /** What an entry point serves; the vector range rules depend on it. */
    public enum EntryClass { EXCEPTION, DEVICE, SYSTEM, CALLBACK, SOFTWARE }

    private final String declareMacro;
    private final ErrorCode errorCode;
    private final Ist paranoidIst;
    private final StubStyle stub64;
    private final StubStyle stub32;
    private final EntryClass entryClass;

    Kind(String declareMacro, ErrorCode errorCode, Ist paranoidIst,
         StubStyle stub64, StubStyle stub32, EntryClass entryClass) {
        this.declareMacro = declareMacro;
        this.errorCode = errorCode;
        this.paranoidIst = paranoidIst;
        this.stub64 = stub64;
        this.stub32 = stub32;
        this.entryClass = entryClass;
    }

    /** The DECLARE_IDTENTRY*() macro of the C list, or null when none is emitted. */
    public String declareMacro() {
        return declareMacro;
    }

    /** Who pushes the error code for this kind. */
    public ErrorCode errorCode() {
        return errorCode;
    }

    /** The IST stack of a paranoid kind on x86_64, or null. */
    public Ist paranoidIst() {
        return paranoidIst;
    }

    public EntryClass entryClass() {
        return entryClass;
    }

    /** The architectures on which upstream has this kind. */
    public Set<Arch> arches() {
        Set<Arch> s = EnumSet.noneOf(Arch.class);
        if (stub64 != null) {
            s.add(Arch.X86_64);
        }
        if (stub32 != null) {
            s.add(Arch.I386);
        }
        return s;
    }

    /** The stub this kind emits on {@code arch}; only valid for arches in {@link #arches()}. */
    public StubStyle stub(Arch arch) {
        StubStyle s = arch == Arch.X86_64 ? stub64 : stub32;
        if (s == null) {
            throw new IllegalArgumentException("kind " + yamlName() + " does not exist on " + arch.yamlName());
        }
        return s;
    }

    public static Optional<Kind> fromYaml(String s) {
        return YamlNamed.find(Kind.class, s);
    }
}
