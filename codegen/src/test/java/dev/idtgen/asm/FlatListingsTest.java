package dev.idtgen.asm;

import dev.idtgen.model.Arch;
import dev.idtgen.model.VectorTable;
import dev.idtgen.validate.Tables;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The flat listings the templates render for a .config (no kernel needed):
 * which stubs, what each kernel macro became, and their sizes; plus the
 * negative case of the comparison: a listing changed by one instruction is
 * found, at its offset, with both instructions named.
 */
class FlatListingsTest {

    static VectorTable table;
    static Assembler asm;

    @BeforeAll
    static void setUp() {
        Tables.Checked c = Tables.read(Path.of("vectors.yaml"));
        assertTrue(c.ok(), () -> "vectors.yaml has problems: " + c.problems());
        table = c.table();
        Optional<Backends.Probe> any = new Backends(System.getenv()).all().stream().filter(Backends.Probe::available).findFirst();
        asm = any.map(Backends.Probe::assembler).orElse(null);
    }

    @AfterAll
    static void close() {
        if (asm != null) {
            asm.close();
        }
    }

    /** What the tiny profiles switch on that the stubs depend on, plus extras. */
    static Map<String, String> config(Arch arch, String... extra) {
        Map<String, String> m = new HashMap<>();
        m.put(arch.kconfig(), "y");
        for (String o : List.of("CONFIG_SMP", "CONFIG_X86_LOCAL_APIC", "CONFIG_X86_MCE", "CONFIG_DEBUG_ENTRY",
                "CONFIG_IRQ_WORK")) {
            m.put(o, "y");
        }
        if (arch == Arch.X86_64) {
            m.put("CONFIG_IA32_EMULATION", "y");
        }
        for (String e : extra) {
            String[] kv = e.split("=");
            m.put(kv[0], kv[1]);
        }
        return m;
    }

    static List<FlatListings.Stub> stubs(Arch arch, Map<String, String> config) throws AsmException {
        assumeTrue(asm != null, "no assembler backend on this machine");
        return FlatListings.stubs(Path.of("templates"), table,
                new FlatContext(arch, config, KernelConstants.builtIn(arch), table), asm);
    }

    static FlatListings.Stub stub(List<FlatListings.Stub> all, String name) {
        return all.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no stub " + name));
    }

    @Test
    void theStubsOfAConfig() throws AsmException {
        List<FlatListings.Stub> all = stubs(Arch.X86_64, config(Arch.X86_64));
        Set<String> names = all.stream().filter(s -> !s.inArray()).map(FlatListings.Stub::symbol)
                .collect(Collectors.toSet());
        assertTrue(names.containsAll(Set.of("asm_exc_divide_error", "asm_exc_int3", "asm_exc_machine_check",
                "asm_exc_double_fault", "asm_common_interrupt", "asm_sysvec_apic_timer_interrupt")), names.toString());
        assertFalse(names.contains("asm_exc_vmm_communication"), "#VC needs CONFIG_AMD_MEM_ENCRYPT");
        assertFalse(names.contains("asm_exc_nmi"), "asm_exc_nmi is hand-written, not a template's");
        assertEquals(204, all.stream().filter(s -> s.symbol().equals("irq_entries_start")).count());
        assertEquals(20, all.stream().filter(s -> s.symbol().equals("spurious_entries_start")).count());
        FlatListings.Stub first = stub(all, "irq_entries_start[0x20]");
        assertEquals(0, first.offset());
        assertEquals(8 * (0xeb - 0x20), stub(all, "irq_entries_start[0xeb]").offset());
        assertEquals("\t.byte\t0x6a, 0x20\n\tjmp\tasm_common_interrupt\n\t.balign 8, 0xcc\n", first.listing());

        Map<String, String> noMce = config(Arch.X86_64);
        noMce.put("CONFIG_X86_MCE", "n");
        assertTrue(stubs(Arch.X86_64, noMce).stream().noneMatch(s -> s.symbol().equals("asm_exc_machine_check")));
    }

    @Test
    void kernelMacrosBecomeInstructions() throws AsmException {
        FlatListings.Stub gp = stub(stubs(Arch.X86_64, config(Arch.X86_64)), "asm_exc_general_protection");
        // ASM_CLAC: ALTERNATIVE "", __ASM_CLAC: three 0x90; error code into %rsi from ORIG_RAX = 120
        assertEquals(String.join("\n", "\t.byte 0x90, 0x90, 0x90", "\tcld", "\tcall error_entry",
                "\tmovq %rax, %rsp", "\tmovq\t%rsp, %rdi", "\tmovq\t120(%rsp), %rsi", "\tmovq\t$-1, 120(%rsp)",
                "\tcall\texc_general_protection", "\tjmp\terror_return") + "\n", gp.listing());
        for (FlatListings.Stub s : stubs(Arch.I386, config(Arch.I386))) {
            for (String macro : List.of("ENDBR", "ASM_CLAC", "UNWIND_HINT", "ALTERNATIVE", "SYM_CODE", "ORIG_RAX",
                    "SAVE_ALL", ".rept", "REACHABLE", "NOKPROBE", "#@", "/*", "IDT_ALIGN")) {
                assertFalse(s.listing().contains(macro), s.name() + " still has " + macro + ":\n" + s.listing());
            }
        }
    }

    @Test
    void endbrAndSlotSizeFollowIbt() throws AsmException {
        List<FlatListings.Stub> ibt = stubs(Arch.X86_64, config(Arch.X86_64, "CONFIG_X86_KERNEL_IBT=y"));
        FlatListings.Stub slot = stub(ibt, "irq_entries_start[0x21]");
        assertEquals(16, slot.slot());
        assertEquals(16, slot.offset());
        assertTrue(slot.listing().startsWith("\tendbr64\n"), slot.listing());
        assertTrue(stub(ibt, "asm_exc_int3").listing().startsWith("\tendbr64\n"));
        List<FlatListings.Stub> plain = stubs(Arch.X86_64, config(Arch.X86_64));
        assertFalse(stub(plain, "asm_exc_int3").listing().contains("endbr"));
    }

    @Test
    void framePointerPerConfig() throws AsmException {
        assertTrue(stub(stubs(Arch.X86_64, config(Arch.X86_64, "CONFIG_FRAME_POINTER=y")), "asm_exc_int3")
                .listing().contains("leaq\t1+0(%rsp), %rbp"));
        assertFalse(stub(stubs(Arch.X86_64, config(Arch.X86_64)), "asm_exc_int3").listing().contains("%rbp"));
        assertTrue(stub(stubs(Arch.I386, config(Arch.I386, "CONFIG_FRAME_POINTER=y")), "asm_common_interrupt")
                .listing().contains("andl\t$0x7fffffff, %ebp"));
    }

    /** Sizes as the tiny kernels have them (vmlinux symbol sizes). */
    @Test
    void sizesWithoutAKernel() throws AsmException {
        Map<String, Integer> want64 = Map.of("asm_exc_divide_error", 27, "asm_exc_int3", 58, "asm_exc_page_fault", 39,
                "asm_exc_debug", 52, "asm_exc_double_fault", 36);
        Map<String, Integer> want32 = Map.of("asm_exc_divide_error", 16, "asm_exc_page_fault", 14,
                "asm_common_interrupt", 0x117);
        for (Arch arch : Arch.values()) {
            Map<String, Integer> want = arch == Arch.X86_64 ? want64 : want32;
            for (StubSizes.Size s : StubSizes.measure(stubs(arch, config(arch)), asm, Mode.of(arch))) {
                if (s.stub().inArray()) {
                    assertEquals(7, s.codeBytes(), s.stub().name());
                    assertTrue(s.fits(), s.stub().name());
                } else if (want.containsKey(s.stub().symbol())) {
                    assertEquals(want.get(s.stub().symbol()), s.bytes(), s.stub().name());
                }
            }
        }
    }

    /** The negative case: one instruction changed in a listing is found and named. */
    @Test
    void aChangedInstructionIsFoundAndNamed() throws AsmException {
        FlatListings.Stub int3 = stub(stubs(Arch.X86_64, config(Arch.X86_64)), "asm_exc_int3");
        long at = 0xffffffff81200ac0L;
        Map<String, Long> syms = Map.of("error_entry", 0xffffffff81201000L, "exc_int3", 0xffffffff811c9889L,
                "error_return", 0xffffffff812010c0L);
        byte[] good = asm.assemble(int3.listing(), at, syms, Mode.BITS64);
        FlatListings.Stub bad = int3.withListing(int3.listing().replace("\tcld\n", "\tstd\n"));
        byte[] changed = asm.assemble(bad.listing(), at, syms, Mode.BITS64);
        int d = StubVerifier.firstDifference(good, changed);
        assertEquals(3, d);
        String line = StubVerifier.describe(new StubVerifier.Outcome(bad, at, good, changed, d), Mode.BITS64);
        assertTrue(line.startsWith("mismatch asm_exc_int3 at 0xffffffff81200ac0+0x3: vmlinux +0x3 cld (fc) | "
                + "listing +0x3 std (fd)"), line);
        // a longer instruction: the rest shifts, the first difference is still where the change is
        byte[] longer = asm.assemble(int3.listing().replace("\tpushq\t$-1\n", "\tpushq\t$-1000\n"), at, syms,
                Mode.BITS64);
        assertEquals(4, StubVerifier.firstDifference(good, longer));
        assertEquals(-1, StubVerifier.firstDifference(good, good.clone()));
    }
}
