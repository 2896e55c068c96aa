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

/** The generated KUnit audit: what it expects, in which order, and the delivery proofs it must have. */
class AuditModelTest {

    static final Path TEMPLATES = Path.of("templates");
    static final String AUDIT = "tests/arch/x86/kernel/idtgen_idt_kunit.c";

    private static VectorTable table(String kernel) throws Exception {
        Tables.Checked c = Tables.read(Path.of("vectors.yaml"), List.of(), kernel);
        assertTrue(c.ok(), c.problems().toString());
        return c.table();
    }

    private static String audit(String kernel) throws Exception {
        return new String(new Renderer(TEMPLATES).render(table(kernel)).get(AUDIT), StandardCharsets.UTF_8);
    }

    @Test
    void gatesFollowIdtCsInstallOrderSoALaterGateReplacesAnEarlierOne() throws Exception {
        String c = audit("6.1");
        // #DB: early_idts' interrupt gate first, then def_idts' IST gate, which the kernel leaves in place
        int early = c.indexOf("IDTGEN_INTG(X86_TRAP_DB, asm_exc_debug);");
        int def = c.indexOf("IDTGEN_ISTG(X86_TRAP_DB, asm_exc_debug, IST_INDEX_DB);");
        int earlyPf = c.indexOf("table = \"early_pf_idts\";");
        int defTable = c.indexOf("table = \"def_idts\";");
        int apic = c.indexOf("table = \"apic_idts\";");
        int arrays = c.indexOf("IDTGEN_ARRAY(FIRST_EXTERNAL_VECTOR, FIRST_SYSTEM_VECTOR, irq_entries_start);");
        assertTrue(early > 0 && early < earlyPf && earlyPf < defTable && defTable < def && def < apic
                && apic < arrays, "install order");
        assertTrue(c.indexOf("early_idt_handler_array[i]") < early, "the early handlers come first");
        // the i386 #DF task gate and 6.1's int 0x80 system gate, each under its arch
        assertTrue(c.contains("#ifdef CONFIG_X86_32\n\tIDTGEN_TSKG(X86_TRAP_DF, GDT_ENTRY_DOUBLEFAULT_TSS);"), c);
        assertTrue(c.contains("IDTGEN_SYSG(IA32_SYSCALL_VECTOR, asm_int80_emulation);"));
        // Hyper-V's callbacks are installed at run time, under their condition
        assertTrue(c.contains("#if IS_ENABLED(CONFIG_HYPERV)\n\tIDTGEN_RUNTIME(HYPERVISOR_CALLBACK_VECTOR,"
                + " asm_sysvec_hyperv_callback);"), c);
        assertEquals(256, Stream.of(c.split("\n")).filter(l -> l.startsWith("IDTGEN_VECTOR(0x")).count());
        assertEquals(224, Stream.of(c.split("\n")).filter(l -> l.startsWith("IDTGEN_DELIVERY(0x")).count());
        assertTrue(c.contains("IDTGEN_DELIVERY(0x20)") && !c.contains("IDTGEN_DELIVERY(0x1f)"));
    }

    @Test
    void the612AuditGuardsTheIa32TableAndChecksFredsMsrs() throws Exception {
        String c = audit("6.12");
        assertTrue(c.contains("\tif (ia32_enabled()) {\n#if defined(CONFIG_X86_64) && defined(CONFIG_IA32_EMULATION)\n"
                + "\t\tIDTGEN_SYSG(IA32_SYSCALL_VECTOR, asm_int80_emulation);"), c);
        // #DB 1, NMI 2, #DF 3, #MC 2: 1 << 2 | 2 << 4 | 3 << 16 | 2 << 36
        assertTrue(c.contains("KUNIT_EXPECT_EQ_MSG(test, stklvls, 0x2000030024ULL,"), c);
        assertTrue(c.contains("KUNIT_CASE(fred_msrs),"));
        assertTrue(!audit("6.1").contains("KUNIT_CASE(fred_msrs)"), "6.1 has no FRED");
    }

    @Test
    void everySystemVectorHasADeliveryProof() throws Exception {
        String c = audit("6.12");
        assertTrue(c.contains("IDTGEN_STAT(asm_sysvec_reschedule_ipi, irq_resched_count);"), c);
        assertTrue(c.contains("IDTGEN_STAT_NO_EOI(asm_sysvec_spurious_apic_interrupt, irq_spurious_count);"), c);
        assertTrue(c.contains("IDTGEN_COUNTER(asm_sysvec_error_interrupt, irq_err_count);"), c);
        assertTrue(c.contains("IDTGEN_NONE(asm_sysvec_reboot,\n\t\t    \"sysvec_reboot: stop_this_cpu():"), c);
        assertTrue(c.contains("IDTGEN_ARRAY_RETRIGGER(irq_entries_start, common_interrupt,\n"
                + "\t\t\t       FIRST_EXTERNAL_VECTOR, FIRST_SYSTEM_VECTOR);"), c);
    }

    @Test
    void aSystemVectorWithoutAProofIsRefusedNamingIt(@TempDir Path dir) throws Exception {
        Path templates = copyTemplates(dir);
        Path delivery = templates.resolve(DeliveryProofs.FILE);
        Files.writeString(delivery, Files.readString(delivery).replaceAll("(?m)^sysvec_irq_work:.*\n", ""));
        Renderer.RenderException e = assertThrows(Renderer.RenderException.class,
                () -> new Renderer(templates).render(table("6.1")));
        assertTrue(e.getMessage().contains("no delivery proof for sysvec_irq_work (system vector IRQ_WORK_VECTOR)"),
                e.getMessage());
    }

    @Test
    void aProofMustSayExactlyOneThing(@TempDir Path dir) throws Exception {
        Path templates = copyTemplates(dir);
        Path delivery = templates.resolve(DeliveryProofs.FILE);
        Files.writeString(delivery, Files.readString(delivery).replace("sysvec_irq_work: {stat: apic_irq_work_irqs}",
                "sysvec_irq_work: {stat: apic_irq_work_irqs, none: why}"));
        Renderer.RenderException e = assertThrows(Renderer.RenderException.class, () -> new Renderer(templates));
        assertTrue(e.getMessage().contains("sysvec_irq_work: needs exactly one of stat, stat_no_eoi, counter, retrigger, none"),
                e.getMessage());
    }

    @Test
    void everyGatedExceptionIsRaisedFromKernelModeOrSaysWhyNot() throws Exception {
        String c = audit("6.12");
        assertTrue(c.contains("\tIDTGEN_RAISE(X86_TRAP_DE, exc_divide_error, IDTGEN_RAISE_NOTIFY);"), c);
        assertTrue(c.contains("\tIDTGEN_RAISE(X86_TRAP_MF, exc_coprocessor_error, IDTGEN_RAISE_FIXUP);"), c);
        assertTrue(c.contains("\tIDTGEN_RAISE(X86_TRAP_BP, exc_int3, IDTGEN_RAISE_INT3);"), c);
        assertTrue(c.contains("\tIDTGEN_RAISE(X86_TRAP_DB, exc_debug, IDTGEN_RAISE_DEBUG);"), c);
        assertTrue(c.contains("\tIDTGEN_RAISE(X86_TRAP_NM, exc_device_not_available, IDTGEN_RAISE_CR0_TS);"), c);
        assertTrue(c.contains("\tIDTGEN_NO_RAISE(X86_TRAP_GP, exc_general_protection,\n\t\t\t"), c);
        // #MC under its gate's condition
        assertTrue(c.contains("#ifdef CONFIG_X86_MCE\n\tIDTGEN_NO_RAISE(X86_TRAP_MC, exc_machine_check,"), c);
        // int $n needs an immediate: one function per vector raised that way, in the dispatch
        for (int n : new int[] {0, 1, 4, 5, 6, 9, 16, 19}) {
            assertTrue(c.contains("IDTGEN_INT(" + n + ")\n") && c.contains("\tcase " + n + ":\n\t\treturn idtgen_int_"
                    + n + "();"), "int $" + n);
        }
        assertTrue(!c.contains("IDTGEN_INT(3)"), "int3 has its own");
        assertEquals(32, Stream.of(c.split("\n")).filter(l -> l.startsWith("IDTGEN_ENTRY(0x")).count());
        assertTrue(c.contains("kunit_test_suites(&idtgen_idt_suite, &idtgen_delivery_suite, &idtgen_entry_suite);"));
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
