package dev.idtgen.render;

import dev.idtgen.model.VectorTable;
import dev.idtgen.validate.Tables;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The generated rows of the KUnit audit: what it expects, in which order, and the delivery proofs it must have. */
class AuditModelTest {

    static final Path TEMPLATES = Path.of("templates");
    static final String AUDIT = "tests/arch/x86/kernel/idtgen_audit_table.h";

    private static VectorTable table(String kernel) throws Exception {
        Tables.Checked c = Tables.read(Path.of("vectors.yaml"), List.of(), kernel);
        assertTrue(c.ok(), c.problems().toString());
        return c.table();
    }

    private static String audit(String kernel) throws Exception {
        return new String(new Renderer(TEMPLATES).render(table(kernel)).get(AUDIT), StandardCharsets.UTF_8);
    }

    /** The rows of one section: from its #ifdef to its #endif. */
    private static String section(String c, String macro) {
        int start = c.indexOf("#ifdef " + macro + "\n");
        assertTrue(start >= 0, "no section " + macro);
        int end = c.indexOf("\n#endif\n\n", start);
        return c.substring(start, end < 0 ? c.length() : end + 1);
    }

    private static long rows(String c, String prefix) {
        return Stream.of(c.split("\n")).filter(l -> l.startsWith(prefix)).count();
    }

    @Test
    void gatesFollowIdtCsInstallOrderSoALaterGateReplacesAnEarlierOne() throws Exception {
        String c = audit("6.1");
        String gates = section(c, "IDTGEN_INTG");
        // #DB: early_idts' interrupt gate first, then def_idts' IST gate, which the kernel leaves in place
        int early = gates.indexOf("IDTGEN_INTG(early_idts, X86_TRAP_DB, asm_exc_debug)\n");
        int earlyPf = gates.indexOf("IDTGEN_INTG(early_pf_idts, ");
        int defTable = gates.indexOf("(def_idts, ");
        int def = gates.indexOf("IDTGEN_ISTG(def_idts, X86_TRAP_DB, asm_exc_debug, IST_INDEX_DB)\n");
        int apic = gates.indexOf("(apic_idts, ");
        assertTrue(early >= 0 && early < earlyPf && earlyPf < defTable && defTable < def && def < apic,
                "install order");
        assertTrue(c.indexOf("#ifdef IDTGEN_INTG") < c.indexOf("#ifdef IDTGEN_ARRAY"), "the arrays after the gates");
        assertTrue(section(c, "IDTGEN_ARRAY").contains(
                "IDTGEN_ARRAY(FIRST_EXTERNAL_VECTOR, FIRST_SYSTEM_VECTOR, irq_entries_start)\n"));
        // the i386 #DF task gate and 6.1's int 0x80 system gate, each under its arch
        assertTrue(gates.contains("#ifdef CONFIG_X86_32\nIDTGEN_TSKG(def_idts, X86_TRAP_DF, GDT_ENTRY_DOUBLEFAULT_TSS)\n"),
                c);
        assertTrue(gates.contains("IDTGEN_SYSG(def_idts, IA32_SYSCALL_VECTOR, asm_int80_emulation)\n"));
        // Hyper-V's callbacks are installed at run time, under their condition
        assertTrue(section(c, "IDTGEN_RUNTIME").contains("#if IS_ENABLED(CONFIG_HYPERV)\n"
                + "IDTGEN_RUNTIME(HYPERVISOR_CALLBACK_VECTOR, asm_sysvec_hyperv_callback)\n"), c);
        assertTrue(section(c, "IDTGEN_SYMBOL").contains("IDTGEN_SYMBOL(X86_TRAP_DE, 0)\n"), c);
        assertEquals(256, rows(c, "IDTGEN_VECTOR(0x"));
        assertEquals(224, rows(c, "IDTGEN_DELIVERY(0x"));
        assertTrue(c.contains("IDTGEN_DELIVERY(0x20)") && !c.contains("IDTGEN_DELIVERY(0x1f)"));
        // rows only: no statement, no C of the suites
        assertTrue(!c.contains(";\n") && !c.contains("KUNIT_"), c);
    }

    @Test
    void the612RowsHaveTheIa32TableAndFredsStackLevels() throws Exception {
        String c = audit("6.12");
        // ia32_idt's own rows: the C (idt_setup_traps()'s ia32_enabled()) decides whether it is installed
        assertTrue(section(c, "IDTGEN_INTG").contains("#if defined(CONFIG_X86_64) && defined(CONFIG_IA32_EMULATION)\n"
                + "IDTGEN_SYSG(ia32_idt, IA32_SYSCALL_VECTOR, asm_int80_emulation)\n"), c);
        // #DB 1, NMI 2, #DF 3, #MC 2
        assertTrue(section(c, "IDTGEN_STKLVL").contains(
                "IDTGEN_STKLVL(1, 1)\nIDTGEN_STKLVL(2, 2)\nIDTGEN_STKLVL(8, 3)\nIDTGEN_STKLVL(18, 2)\n"), c);
        assertTrue(!audit("6.1").contains("IDTGEN_STKLVL"), "6.1 has no FRED");
    }

    @Test
    void everySystemVectorHasADeliveryProof() throws Exception {
        String c = section(audit("6.12"), "IDTGEN_STAT");
        assertTrue(c.contains("IDTGEN_STAT(asm_sysvec_reschedule_ipi, irq_resched_count)\n"), c);
        assertTrue(c.contains("IDTGEN_STAT_NO_EOI(asm_sysvec_spurious_apic_interrupt, irq_spurious_count)\n"), c);
        assertTrue(c.contains("IDTGEN_COUNTER(asm_sysvec_error_interrupt, irq_err_count)\n"), c);
        assertTrue(c.contains("IDTGEN_NONE(asm_sysvec_reboot,\n\t    \"sysvec_reboot: stop_this_cpu():"), c);
        assertTrue(c.contains("IDTGEN_ARRAY_RETRIGGER(irq_entries_start, common_interrupt,\n"
                + "\t\t       FIRST_EXTERNAL_VECTOR, FIRST_SYSTEM_VECTOR)\n"), c);
    }

    @Test
    void aSystemVectorWithoutALineIsProvenByTheApic(@TempDir Path dir) throws Exception {
        Path templates = copyTemplates(dir);
        Path delivery = templates.resolve(DeliveryProofs.FILE);
        Files.writeString(delivery, Files.readString(delivery).replaceAll("(?m)^sysvec_irq_work:.*\n", ""));
        String c = section(new String(new Renderer(templates).render(table("6.1")).get(AUDIT), StandardCharsets.UTF_8),
                "IDTGEN_STAT");
        assertTrue(c.contains("IDTGEN_EOI(asm_sysvec_irq_work)\n"), c);
        assertTrue(!c.contains("apic_irq_work_irqs"), c);
    }

    @Test
    void aStubArrayTargetWithoutAProofIsRefusedNamingIt(@TempDir Path dir) throws Exception {
        Path templates = copyTemplates(dir);
        Path delivery = templates.resolve(DeliveryProofs.FILE);
        Files.writeString(delivery, Files.readString(delivery).replaceAll("(?m)^spurious_interrupt:.*\n", ""));
        Renderer.RenderException e = assertThrows(Renderer.RenderException.class,
                () -> new Renderer(templates).render(table("6.1")));
        assertTrue(e.getMessage().contains("no delivery proof for spurious_interrupt (the target of"),
                e.getMessage());
    }

    @Test
    void aProofMustSayExactlyOneThing(@TempDir Path dir) throws Exception {
        Path templates = copyTemplates(dir);
        Path delivery = templates.resolve(DeliveryProofs.FILE);
        Files.writeString(delivery, Files.readString(delivery).replace("sysvec_irq_work: {stat: apic_irq_work_irqs}",
                "sysvec_irq_work: {stat: apic_irq_work_irqs, none: why}"));
        Renderer.RenderException e = assertThrows(Renderer.RenderException.class, () -> new Renderer(templates));
        assertTrue(e.getMessage().contains("sysvec_irq_work: needs exactly one of stat, stat_no_eoi, counter, retrigger, eoi, none"),
                e.getMessage());
    }

    @Test
    void everyGatedExceptionIsRaisedFromKernelModeOrSaysWhyNot() throws Exception {
        String all = audit("6.12");
        String c = section(all, "IDTGEN_RAISE");
        assertTrue(c.contains("\nIDTGEN_RAISE(X86_TRAP_DE, exc_divide_error, IDTGEN_RAISE_NOTIFY)\n"), c);
        assertTrue(c.contains("\nIDTGEN_RAISE(X86_TRAP_MF, exc_coprocessor_error, IDTGEN_RAISE_FIXUP)\n"), c);
        assertTrue(c.contains("\nIDTGEN_RAISE(X86_TRAP_BP, exc_int3, IDTGEN_RAISE_INT3)\n"), c);
        assertTrue(c.contains("\nIDTGEN_RAISE(X86_TRAP_DB, exc_debug, IDTGEN_RAISE_DEBUG)\n"), c);
        assertTrue(c.contains("\nIDTGEN_RAISE(X86_TRAP_NM, exc_device_not_available, IDTGEN_RAISE_CR0_TS)\n"), c);
        assertTrue(c.contains("\nIDTGEN_NO_RAISE(X86_TRAP_GP, exc_general_protection,\n\t\t\""), c);
        // #MC under its gate's condition
        assertTrue(c.contains("#ifdef CONFIG_X86_MCE\nIDTGEN_NO_RAISE(X86_TRAP_MC, exc_machine_check,"), c);
        // int $n needs an immediate: one row per vector raised that way
        String ints = section(all, "IDTGEN_INT");
        for (int n : new int[] {0, 1, 4, 5, 6, 9, 16, 19}) {
            assertTrue(ints.contains("\nIDTGEN_INT(" + n + ")\n"), "int $" + n);
        }
        assertTrue(!ints.contains("IDTGEN_INT(3)"), "int3 has its own");
        assertEquals(32, rows(all, "IDTGEN_ENTRY(0x"));
    }

    @Test
    void aGatedExceptionWithoutAKernelModeLineIsRefusedNamingIt(@TempDir Path dir) throws Exception {
        Path templates = copyTemplates(dir);
        Path raises = templates.resolve(KernelModeRaises.FILE);
        Files.writeString(raises, Files.readString(raises).replaceAll("(?m)^exc_bounds:.*\n", ""));
        Renderer.RenderException e = assertThrows(Renderer.RenderException.class,
                () -> new Renderer(templates).render(table("6.1")));
        assertTrue(e.getMessage().contains("no kernel-mode raise for exc_bounds (gated at X86_TRAP_BR)"),
                e.getMessage());
        Files.writeString(raises, "exc_bounds: {raise: int7}\n");
        e = assertThrows(Renderer.RenderException.class, () -> new Renderer(templates));
        assertTrue(e.getMessage().contains("exc_bounds: unknown raise int7"), e.getMessage());
    }

    private static Path copyTemplates(Path dir) throws IOException {
        Path t = dir.resolve("templates");
        Files.createDirectories(t);
        try (Stream<Path> s = Files.list(TEMPLATES)) {
            for (Path p : s.toList()) {
                Files.copy(p, t.resolve(p.getFileName()));
            }
        }
        return t;
    }
}
