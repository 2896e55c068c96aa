package dev.idtgen.importer;

import dev.idtgen.model.Arch;
import dev.idtgen.model.Condition;
import dev.idtgen.model.Entry;
import dev.idtgen.model.ErrorCode;
import dev.idtgen.model.Fred;
import dev.idtgen.model.Fred.Route;
import dev.idtgen.model.Gate;
import dev.idtgen.model.GateTable;
import dev.idtgen.model.GateType;
import dev.idtgen.model.Ist;
import dev.idtgen.model.Kind;
import dev.idtgen.model.Symbol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link FredImporter} on a small tree in the shape of 6.12's entry_fred.c,
 * kernel/fred.c and a sysvec_install() call: the routes it reads, and an
 * error at the line of everything it cannot map.
 */
class FredImporterTest {

    private static final String ENTRY_FRED = """
            static noinstr void fred_intx(struct pt_regs *regs)
            {
            	switch (regs->fred_ss.vector) {
            	/* Opcode 0xcd, 0x3, NOT INT3 (opcode 0xcc) */
            	case X86_TRAP_BP:
            		return exc_int3(regs);

            #ifdef CONFIG_IA32_EMULATION
            	case IA32_SYSCALL_VECTOR:
            		if (ia32_enabled())
            			return fred_int80_emulation(regs);
            		fallthrough;
            #endif

            	default:
            		regs->ip -= regs->fred_ss.insnlen;
            		return exc_general_protection(regs, (regs->fred_ss.vector << 3) | 2);
            	}
            }

            #define SYSVEC(_vector, _function) [_vector - FIRST_SYSTEM_VECTOR] = fred_sysvec_##_function

            static idtentry_t sysvec_table[NR_SYSTEM_VECTORS] __ro_after_init = {
            	SYSVEC(LOCAL_TIMER_VECTOR,		apic_timer_interrupt),
            };

            static noinstr void fred_handle_spurious_interrupt(struct pt_regs *regs)
            {
            	spurious_interrupt(regs, regs->fred_ss.vector);
            }

            static noinstr void fred_extint(struct pt_regs *regs)
            {
            	unsigned int vector = regs->fred_ss.vector;

            	if (likely(vector >= FIRST_SYSTEM_VECTOR)) {
            		sysvec_table[vector - FIRST_SYSTEM_VECTOR](regs);
            	} else {
            		common_interrupt(regs, vector);
            	}
            }

            static noinstr void fred_hwexc(struct pt_regs *regs, unsigned long error_code)
            {
            	if (likely(regs->fred_ss.vector == X86_TRAP_PF))
            		return exc_page_fault(regs, error_code);

            	switch (regs->fred_ss.vector) {
            	case X86_TRAP_DE: return exc_divide_error(regs);
            	case X86_TRAP_DB: return fred_exc_debug(regs);
            #ifdef CONFIG_AMD_MEM_ENCRYPT
            	case X86_TRAP_VC: return exc_vmm_communication(regs, error_code);
            #endif

            	default: return fred_bad_type(regs, error_code);
            	}

            }

            static noinstr void fred_swexc(struct pt_regs *regs, unsigned long error_code)
            {
            	switch (regs->fred_ss.vector) {
            	case X86_TRAP_BP: return exc_int3(regs);
            	default: return fred_bad_type(regs, error_code);
            	}
            }

            __visible noinstr void fred_entry_from_user(struct pt_regs *regs)
            {
            	unsigned long error_code = regs->orig_ax;

            	regs->orig_ax = -1;

            	switch (regs->fred_ss.type) {
            	case EVENT_TYPE_EXTINT:
            		return fred_extint(regs);
            	case EVENT_TYPE_NMI:
            		if (likely(regs->fred_ss.vector == X86_TRAP_NMI))
            			return fred_exc_nmi(regs);
            		break;
            	case EVENT_TYPE_HWEXC:
            		return fred_hwexc(regs, error_code);
            	case EVENT_TYPE_SWINT:
            		return fred_intx(regs);
            	case EVENT_TYPE_PRIV_SWEXC:
            		if (likely(regs->fred_ss.vector == X86_TRAP_DB))
            			return fred_exc_debug(regs);
            		break;
            	case EVENT_TYPE_SWEXC:
            		return fred_swexc(regs, error_code);
            	default: break;
            	}

            	return fred_bad_type(regs, error_code);
            }

            __visible noinstr void fred_entry_from_kernel(struct pt_regs *regs)
            {
            	switch (regs->fred_ss.type) {
            	case EVENT_TYPE_HWEXC:
            		return fred_hwexc(regs, regs->orig_ax);
            	default: break;
            	}
            }
            """;

    private static final String FRED_C = """
            #define FRED_DB_STACK_LEVEL		1UL
            #define FRED_NMI_STACK_LEVEL		2UL

            #define FRED_STKLVL(vector, lvl)	((lvl) << (2 * (vector)))

            void cpu_init_fred_rsps(void)
            {
            	wrmsrl(MSR_IA32_FRED_STKLVLS,
            	       FRED_STKLVL(X86_TRAP_DB,  FRED_DB_STACK_LEVEL) |
            	       FRED_STKLVL(X86_TRAP_NMI, FRED_NMI_STACK_LEVEL));
            }
            """;

    private static final String INSTALLER = """
            static void __init ms_hyperv_init_platform(void)
            {
            	sysvec_install(HYPERVISOR_CALLBACK_VECTOR, sysvec_hyperv_callback);
            }
            """;

    private static final Set<Arch> BOTH = EnumSet.allOf(Arch.class);
    private static final Set<Arch> X86_64 = EnumSet.of(Arch.X86_64);

    @TempDir
    Path dir;

    private final Map<String, Symbol> symbols = new LinkedHashMap<>();
    private final List<Entry> entries = new ArrayList<>();

    private void entry(String handler, String vector, Integer number, Kind kind, Set<Arch> arches, Condition c) {
        if (number != null) {
            symbols.putIfAbsent(vector, new Symbol(vector, number, Condition.ALWAYS, null));
        }
        entries.add(new Entry(handler, vector, number, kind, kind.errorCode(), arches, c, Map.of(), Map.of(), null,
                Map.of()));
    }

    private List<Entry> run(String entryFred, String fredC, String installer) throws Exception {
        entry("exc_divide_error", "X86_TRAP_DE", 0, Kind.PLAIN, BOTH, Condition.ALWAYS);
        entry("exc_debug", "X86_TRAP_DB", 1, Kind.DEBUG, X86_64, Condition.ALWAYS);
        entry("exc_debug", "X86_TRAP_DB", 1, Kind.RAW, EnumSet.of(Arch.I386), Condition.ALWAYS);
        entry("exc_nmi", "X86_TRAP_NMI", 2, Kind.NMI, BOTH, Condition.ALWAYS);
        entry("xenpv_exc_nmi", "X86_TRAP_NMI", 2, Kind.RAW, X86_64, new Condition.Defined("CONFIG_XEN_PV"));
        entry("exc_int3", "X86_TRAP_BP", 3, Kind.RAW, BOTH, Condition.ALWAYS);
        entry("exc_coproc_segment_overrun", "X86_TRAP_OLD_MF", 9, Kind.PLAIN, BOTH, Condition.ALWAYS);
        entry("exc_general_protection", "X86_TRAP_GP", 13, Kind.ERRORCODE, BOTH, Condition.ALWAYS);
        entry("exc_page_fault", "X86_TRAP_PF", 14, Kind.RAW_ERRORCODE, BOTH, Condition.ALWAYS);
        entry("exc_vmm_communication", "X86_TRAP_VC", 29, Kind.VC, X86_64,
                new Condition.Defined("CONFIG_AMD_MEM_ENCRYPT"));
        entry("int80_emulation", "IA32_SYSCALL_VECTOR", 0x80, Kind.RAW, X86_64,
                new Condition.Defined("CONFIG_IA32_EMULATION"));
        entry("common_interrupt", Entry.NO_VECTOR, null, Kind.IRQ, BOTH, Condition.ALWAYS);
        entry("spurious_interrupt", Entry.NO_VECTOR, null, Kind.IRQ, BOTH, Condition.ALWAYS);
        entry("sysvec_apic_timer_interrupt", "LOCAL_TIMER_VECTOR", 0xec, Kind.SYSVEC, BOTH, Condition.ALWAYS);
        entry("sysvec_hyperv_callback", "HYPERVISOR_CALLBACK_VECTOR", 0xf3, Kind.SYSVEC, BOTH, Condition.ALWAYS);
        entry("entry_INT80_32", "IA32_SYSCALL_VECTOR", 0x80, Kind.EXTERNAL, EnumSet.of(Arch.I386), Condition.ALWAYS);
        Map<GateTable, List<Gate>> gates = Map.of(GateTable.DEF, List.of(new Gate(GateTable.DEF,
                "exc_vmm_communication", GateType.INTERRUPT, 0, Ist.VC, null, X86_64,
                new Condition.Defined("CONFIG_AMD_MEM_ENCRYPT"), Map.of(), null, Map.of())));
        write(FredImporter.ENTRY_FRED_C, entryFred);
        write(FredImporter.FRED_C, fredC);
        write("arch/x86/kernel/cpu/mshyperv.c", installer);
        Files.createDirectories(dir.resolve("drivers/hv"));
        Files.createDirectories(dir.resolve("drivers/xen"));
        return new FredImporter(dir, symbols, entries, gates,
                c -> Conditions.forArch(c, Arch.X86_64, (s, a) -> false)).run();
    }

    private void write(String file, String text) throws IOException {
        Files.createDirectories(dir.resolve(file).getParent());
        Files.writeString(dir.resolve(file), text);
    }

    private static Fred fred(List<Entry> es, String handler, Arch arch) {
        return es.stream().filter(e -> e.handler().equals(handler) && e.arches().contains(arch)).findFirst()
                .orElseThrow().fred();
    }

    private static Fred routes(Integer level, String call, String guard, boolean fast, Route... rs) {
        return new Fred(List.of(rs), call, guard, fast, level, null, null);
    }

    private static Fred strip(Fred f) {
        return f == null ? null : new Fred(f.routes(), f.call(), f.guard(), f.fastPath(), f.stackLevel(), f.exempt(),
                null);
    }

    @Test
    void everyDispatcherGivesItsRoutes() throws Exception {
        List<Entry> es = run(ENTRY_FRED, FRED_C, INSTALLER);
        Map<String, Fred> want = new LinkedHashMap<>();
        want.put("exc_divide_error", routes(null, null, null, false, Route.HWEXC));
        want.put("exc_debug", routes(1, "fred_exc_debug", null, false, Route.HWEXC, Route.PRIV_SWEXC));
        want.put("exc_nmi", routes(2, "fred_exc_nmi", null, false, Route.NMI));
        want.put("exc_int3", routes(null, null, null, false, Route.SWEXC, Route.INTX));
        want.put("exc_page_fault", routes(null, null, null, true, Route.HWEXC));
        want.put("exc_vmm_communication", routes(0, null, null, false, Route.HWEXC));
        want.put("int80_emulation", routes(null, "fred_int80_emulation", "ia32_enabled", false, Route.INTX));
        want.put("common_interrupt", routes(null, null, null, false, Route.EXTINT));
        want.put("spurious_interrupt", routes(null, null, null, false, Route.EXTINT));
        want.put("sysvec_apic_timer_interrupt", routes(null, null, null, false, Route.SYSVEC));
        want.put("sysvec_hyperv_callback", routes(null, null, null, false, Route.RUNTIME));
        want.forEach((h, f) -> assertEquals(f, strip(fred(es, h, Arch.X86_64)), h));
        for (String h : List.of("xenpv_exc_nmi", "exc_coproc_segment_overrun", "exc_general_protection")) {
            assertEquals(FredRoutes.NO_ROUTE, fred(es, h, Arch.X86_64).exempt(), h);
        }
        assertNull(fred(es, "exc_debug", Arch.I386), "the i386 entry of #DB");
        assertNull(fred(es, "entry_INT80_32", Arch.I386), "an i386-only entry");
    }

    /** Runs the import with {@code from} replaced by {@code to} in {@code file}; expects an error at {@code line}. */
    private void fails(String file, String from, String to, int line, String message) throws Exception {
        String entryFred = file.equals(FredImporter.ENTRY_FRED_C) ? replace(ENTRY_FRED, from, to) : ENTRY_FRED;
        String fredC = file.equals(FredImporter.FRED_C) ? replace(FRED_C, from, to) : FRED_C;
        String installer = file.endsWith("mshyperv.c") ? replace(INSTALLER, from, to) : INSTALLER;
        ImportException e = assertThrows(ImportException.class, () -> run(entryFred, fredC, installer));
        assertEquals(dir.resolve(file) + ":" + line + ": " + message, e.getMessage());
    }

    private static String replace(String text, String from, String to) {
        assertEquals(true, text.contains(from), from);
        return text.replace(from, to);
    }

    @Test
    void aCaseOfNoEntryIsAnError() throws Exception {
        fails(FredImporter.ENTRY_FRED_C, "\tcase X86_TRAP_DE:", "\tcase 42: return foo(regs);\n\tcase X86_TRAP_DE:",
                49, "fred_hwexc(): 42 goes to foo(), but no x86_64 entry of idtentry.h has that vector");
    }

    @Test
    void anUnknownStatementIsAnError() throws Exception {
        fails(FredImporter.ENTRY_FRED_C, "\t\treturn exc_int3(regs);", "\t\tpr_info(\"int3\");\n\t\treturn exc_int3(regs);",
                6, "fred_intx(): a statement the importer does not read: 'pr_info(\"int3\");'");
    }

    @Test
    void aCaseWhoseHandlerIsNoneOfItsVectorsEntriesIsAnError() throws Exception {
        fails(FredImporter.ENTRY_FRED_C, "return fred_exc_nmi(regs);", "return vendor_nmi(regs);", 79,
                "fred_entry_from_user(): X86_TRAP_NMI goes to vendor_nmi(), which is none of its entries"
                        + " (exc_nmi, xenpv_exc_nmi) nor their fred_ variant");
    }

    @Test
    void aWrongErrorCodeIsAnError() throws Exception {
        fails(FredImporter.ENTRY_FRED_C, "return exc_divide_error(regs);", "return exc_divide_error(regs, error_code);",
                49, "fred_hwexc(): case X86_TRAP_DE calls exc_divide_error(regs, error_code), but entry"
                        + " exc_divide_error has error_code none: the table's dispatch would call it with (regs)");
    }

    @Test
    void aCaseUnderAnotherConditionThanItsEntryIsAnError() throws Exception {
        fails(FredImporter.ENTRY_FRED_C, "#ifdef CONFIG_AMD_MEM_ENCRYPT", "#ifdef CONFIG_SEV", 52,
                "fred_hwexc(): case X86_TRAP_VC is compiled under defined(CONFIG_SEV), its entry"
                        + " exc_vmm_communication under defined(CONFIG_AMD_MEM_ENCRYPT): the table puts a case under"
                        + " its entry's condition");
    }

    @Test
    void anUnknownSysvecRowIsAnError() throws Exception {
        fails(FredImporter.ENTRY_FRED_C, "apic_timer_interrupt),", "vendor_timer),", 24,
                "sysvec_table: sysvec_vendor_timer is no x86_64 entry of idtentry.h");
    }

    @Test
    void anUnknownEventTypeIsAnError() throws Exception {
        fails(FredImporter.ENTRY_FRED_C, "\tcase EVENT_TYPE_SWEXC:", "\tcase EVENT_TYPE_VENDOR:", 89,
                "fred_entry_from_user(): event type EVENT_TYPE_VENDOR is none the table knows (EVENT_TYPE_EXTINT,"
                        + " EVENT_TYPE_HWEXC, EVENT_TYPE_OTHER, EVENT_TYPE_SWEXC, EVENT_TYPE_SWINT, EVENT_TYPE_NMI,"
                        + " EVENT_TYPE_PRIV_SWEXC)");
    }

    @Test
    void anUnreadableSysvecInstallIsAnError() throws Exception {
        fails("arch/x86/kernel/cpu/mshyperv.c", "sysvec_install(HYPERVISOR_CALLBACK_VECTOR, sysvec_hyperv_callback);",
                "sysvec_install(HYPERVISOR_CALLBACK_VECTOR,\n\t\t       sysvec_hyperv_callback);", 3,
                "a sysvec_install() the importer does not read: 'sysvec_install(HYPERVISOR_CALLBACK_VECTOR,'"
                        + " (expected 'sysvec_install(VECTOR, sysvec_handler);')");
    }

    @Test
    void aStackLevelOfNoRoutedEntryIsAnError() throws Exception {
        fails(FredImporter.FRED_C, "FRED_STKLVL(X86_TRAP_NMI,", "FRED_STKLVL(X86_TRAP_OLD_MF,", 10,
                "MSR_IA32_FRED_STKLVLS: a level for X86_TRAP_OLD_MF, but FRED routes no entry of that vector");
    }

    @Test
    void anUnknownStackLevelIsAnError() throws Exception {
        fails(FredImporter.FRED_C, "FRED_NMI_STACK_LEVEL))", "FRED_NMI_LEVEL))", 10,
                "MSR_IA32_FRED_STKLVLS: FRED_NMI_LEVEL is neither a number nor a FRED_*_STACK_LEVEL of this file");
    }
}
