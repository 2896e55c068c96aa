package dev.idtgen.asm;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The assembler port's contract (see {@link Assembler}), run against every
 * backend: the ones this machine lacks are skipped with the exact reason
 * (for Keystone: no libkeystone, or one without the X86 target). Expected
 * bytes are GNU as/ld's, most of them taken from the tiny kernels' vmlinux.
 */
class AssemblerContractTest {

    private static final Map<String, Backends.Probe> PROBES = new HashMap<>();

    private static synchronized Assembler backend(String name) {
        Backends.Probe p = PROBES.computeIfAbsent(name, n -> {
            Backends.Probe probe = new Backends(System.getenv()).probe(n);
            System.out.println("assembler contract: " + n + (probe.available() ? ": " + probe.assembler().describe()
                    : " skipped: " + probe.unavailable()));
            return probe;
        });
        assumeTrue(p.available(), () -> name + " unavailable: " + p.unavailable());
        return p.assembler();
    }

    @AfterAll
    static void close() {
        PROBES.values().stream().filter(Backends.Probe::available).forEach(p -> p.assembler().close());
    }

    private static String hex(byte[] b) {
        return HexFormat.ofDelimiter(" ").formatHex(b);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"keystone", "gas"})
    void emptyListingIsNoBytes(String name) throws AsmException {
        assertEquals(0, backend(name).assemble("", 0x1000, Map.of(), Mode.BITS64).length);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"keystone", "gas"})
    void encodes64BitAtt(String name) throws AsmException {
        Assembler a = backend(name);
        assertEquals("fc 6a ff 48 89 e7 48 8b 74 24 78 48 c7 44 24 78 ff ff ff ff f6 44 24 10 03 ff 74 24 28",
                hex(a.assemble("cld\npushq $-1\nmovq %rsp, %rdi; movq 120(%rsp), %rsi\nmovq $-1, 120(%rsp)\n"
                        + "testb $3, 136-120(%rsp)\npushq 5*8(%rsp)\n", 0xffffffff81200000L, Map.of(), Mode.BITS64)));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"keystone", "gas"})
    void encodes32BitAtt(String name) throws AsmException {
        Assembler a = backend(name);
        assertEquals("fc 6a 00 89 e0 8b 54 24 2c c7 44 24 2c ff ff ff ff 0f a0 f3 a5 0f 0b",
                hex(a.assemble("cld\npushl $0\nmovl %esp, %eax\nmovl 44(%esp), %edx\nmovl $-1, 44(%esp)\n"
                        + "pushl %fs\nrep movsl\nud2\n", 0xc1198a80L, Map.of(), Mode.BITS32)));
    }

    /** asm_exc_divide_error of the x86_64 tiny kernel, at its address with its symbols. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"keystone", "gas"})
    void aKernelStubAtItsAddress(String name) throws AsmException {
        Map<String, Long> syms = Map.of("error_entry", 0xffffffff81201000L, "exc_divide_error", 0xffffffff811c91f6L,
                "error_return", 0xffffffff812010c0L);
        String listing = ".byte 0x90, 0x90, 0x90\ncld\npushq $-1\ncall error_entry\nmovq %rax, %rsp\n"
                + "movq %rsp, %rdi\ncall exc_divide_error\njmp error_return\n";
        assertEquals("90 90 90 fc 6a ff e8 45 07 00 00 48 89 c4 48 89 e7 e8 30 89 fc ff e9 f5 07 00 00",
                hex(backend(name).assemble(listing, 0xffffffff812008b0L, syms, Mode.BITS64)));
    }

    /** Branches to outside symbols are rel32 even when the target is near (what gas does for global symbols). */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"keystone", "gas"})
    void outsideSymbolsAreRel32LocalLabelsRelax(String name) throws AsmException {
        Assembler a = backend(name);
        long at = 0xffffffff81200000L;
        assertEquals("e9 0b 00 00 00", hex(a.assemble("jmp near", at, Map.of("near", at + 0x10), Mode.BITS64)));
        assertEquals("e8 fb ff ff ff", hex(a.assemble("call self", at, Map.of("self", at), Mode.BITS64)));
        assertEquals("75 01 90 c3", hex(a.assemble("jnz .Lskip\nnop\n.Lskip:\nret", at, Map.of(), Mode.BITS64)));
        assertEquals("eb 00", hex(a.assemble("jmp 1f\n1:", at, Map.of(), Mode.BITS64)));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"keystone", "gas"})
    void absoluteAndPerCpuSymbols32(String name) throws AsmException {
        Assembler a = backend(name);
        Map<String, Long> syms = Map.of("exc_divide_error", 0xc1191f49L, "cpu_entry_area", 0xc12c3610L,
                "handle_exception", 0xc1199000L);
        assertEquals("68 49 1f 19 c1 64 8b 0d 10 36 2c c1 e9 6f 05 00 00",
                hex(a.assemble("pushl $exc_divide_error\nmovl %fs:cpu_entry_area, %ecx\njmp handle_exception",
                        0xc1198a80L, syms, Mode.BITS32)));
    }

    /** An irq stub: .byte push, jmp, filled with int3 up to IDT_ALIGN. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"keystone", "gas"})
    void stubSlotWithBalign(String name) throws AsmException {
        byte[] b = backend(name).assemble(".byte 0x6a, 0x20\njmp asm_common_interrupt\n.balign 8, 0xcc",
                0xffffffff812001b0L, Map.of("asm_common_interrupt", 0xffffffff81200c00L), Mode.BITS64);
        assertEquals("6a 20 e9 49 0a 00 00 cc", hex(b));
        byte[] ibt = backend(name).assemble("endbr64\n.byte 0x6a, 0xec\njmp x\n.balign 16, 0xcc",
                0xffffffff81200000L, Map.of("x", 0xffffffff81201000L), Mode.BITS64);
        assertEquals(16, ibt.length);
        assertEquals("f3 0f 1e fa 6a ec e9", hex(ibt).substring(0, 20));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"keystone", "gas"})
    void anUndefinedSymbolIsAnErrorNamingIt(String name) {
        Assembler a = backend(name);
        AsmException e = assertThrows(AsmException.class,
                () -> a.assemble("call nosuchsymbol", 0x1000, Map.of(), Mode.BITS64));
        assertTrue(e.getMessage().contains("nosuchsymbol") || e.getMessage().contains("SYMBOL"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"keystone", "gas"})
    void badInstructionIsAnError(String name) {
        Assembler a = backend(name);
        assertThrows(AsmException.class, () -> a.assemble("cld\nfrobnicate %eax", 0x1000, Map.of(), Mode.BITS64));
    }

    /** Several listings in one call: results in order, each at its address, .L labels kept apart. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"keystone", "gas"})
    void batchesKeepListingsApart(String name) throws AsmException {
        List<Assembler.Job> jobs = List.of(
                new Assembler.Job("a", "jz .Lend\nnop\n.Lend:\ncall f", 0xc1000000L),
                new Assembler.Job("b", "jz .Lend\nnop\nnop\n.Lend:\ncall f", 0xc1000100L),
                new Assembler.Job("c", "", 0xc1000200L));
        List<byte[]> out = backend(name).assembleAll(jobs, Map.of("f", 0xc1000000L), Mode.BITS32);
        assertEquals("74 01 90 e8 f8 ff ff ff", hex(out.get(0)));
        assertEquals("74 02 90 90 e8 f7 fe ff ff", hex(out.get(1)));
        assertEquals(0, out.get(2).length);
    }

    /**
     * A batch is exactly its listings one by one, however they are laid out: an evenly spaced array of stubs
     * (.balign in each), one that overruns its slot, two at the same address, an empty one, numeric labels.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"keystone", "gas"})
    void aBatchIsItsListingsOneByOne(String name) throws AsmException {
        Assembler a = backend(name);
        long at = 0xffffffff81200000L;
        Map<String, Long> syms = Map.of("asm_common_interrupt", at + 0x800, "f", at - 0x10, "g", at + 0x5000,
                "here", at + 0x77, "far",
                at + 0x4326 + 0x1000000);
        List<Assembler.Job> jobs = new java.util.ArrayList<>();
        for (int v = 0; v < 16; v++) {
            jobs.add(new Assembler.Job("irq" + v, ".byte 0x6a, 0x" + Integer.toHexString(0x20 + v)
                    + "\njmp asm_common_interrupt\n.balign 8, 0xcc", at + 8L * v));
        }
        long b = at + 0x400;
        jobs.add(new Assembler.Job("fits", "jz .Lx\nnop\n.Lx: ret", b));
        jobs.add(new Assembler.Job("overruns", "call f; call f", b + 4));
        jobs.add(new Assembler.Job("next", "jmp f", b + 8));
        jobs.add(new Assembler.Job("same-address", "nop; jmp f", b + 8));
        jobs.add(new Assembler.Job("empty", "", b + 12));
        jobs.add(new Assembler.Job("numeric", "1: jnz 1b; jmp 2f; 2: ret", b + 16));
        jobs.add(new Assembler.Job("after", "movq 0x28, %rax", b + 20));
        // listings apart from each other, as asm_* stubs are: calls, jumps, a local label, absolute uses
        jobs.add(new Assembler.Job("stub1", "cld\npushq $-1\ncall f\nmovq %rax, %rsp\njz .Ly\ncall g\n.Ly: jmp g",
                at + 0x1234));
        jobs.add(new Assembler.Job("stub2", "pushq $f\nmovq f, %rax\njnz f\ncall *f\ncall g", at + 0x2000));
        jobs.add(new Assembler.Job("stub3", "leaq g(%rip), %rax\nnop\njmp g", at + 0x2345));
        jobs.add(new Assembler.Job("stub4", "here: nop\njnz here\ncall f+8\n.balign 16, 0xcc\njmp 0xffffffff81200010",
                at + 0x3000));
        // bytes that look like the end of a slot: its mark and padding
        jobs.add(new Assembler.Job("ends-like-a-mark", "nop\n.byte 0x5a, 0, 0", at + 0x4000));
        jobs.add(new Assembler.Job("ends-in-zeros", "call far", at + 0x4321));
        List<byte[]> all = a.assembleAll(jobs, syms, Mode.BITS64);
        assertEquals(jobs.size(), all.size());
        for (int i = 0; i < jobs.size(); i++) {
            Assembler.Job j = jobs.get(i);
            assertEquals(hex(a.assemble(j.listing(), j.address(), syms, Mode.BITS64)), hex(all.get(i)), j.name());
        }
        assertEquals("6a 20 e9 f9 07 00 00 cc", hex(all.get(0)));
        assertEquals("6a 2f e9 81 07 00 00 cc", hex(all.get(15)));
        assertEquals("e8 e7 fb ff ff e8 e2 fb ff ff", hex(all.get(17)));
        assertEquals(0, all.get(20).length);
        assertEquals("90 5a 00 00", hex(all.get(27)));
        assertEquals("e8 00 00 00 01", hex(all.get(28)));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"keystone", "gas"})
    void anErrorInABatchNamesTheListing(String name) {
        List<Assembler.Job> jobs = List.of(new Assembler.Job("good", "nop", 0x1000),
                new Assembler.Job("asm_bad", "nop\nmovq %rax", 0x2000));
        Assembler a = backend(name);
        AsmException e = assertThrows(AsmException.class, () -> a.assembleAll(jobs, Map.of(), Mode.BITS64));
        assertTrue(e.getMessage().contains("asm_bad"), e.getMessage());
    }

    // Where Keystone and GNU as differ (KeystoneDialect bridges each): GNU as's bytes, from every backend.

    /** CET's end-branch markers, which Keystone's LLVM has no mnemonic for. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"keystone", "gas"})
    void endbrInBothModes(String name) throws AsmException {
        Assembler a = backend(name);
        assertEquals("f3 0f 1e fa 90", hex(a.assemble("endbr64; nop", 0xffffffff81200000L, Map.of(), Mode.BITS64)));
        assertEquals("f3 0f 1e fb 90", hex(a.assemble("endbr32\nnop", 0xc1000000L, Map.of(), Mode.BITS32)));
    }

    /** Conditional branches, absolute targets and symbol+offset near the listing stay rel32, in both modes. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"keystone", "gas"})
    void nearOutsideTargetsStayRel32(String name) throws AsmException {
        Assembler a = backend(name);
        long at = 0xffffffff81200000L;
        Map<String, Long> syms = Map.of("near", at + 0x10, "self", at);
        assertEquals("0f 84 0a 00 00 00", hex(a.assemble("jz near", at, syms, Mode.BITS64)));
        assertEquals("0f 85 fa ff ff ff", hex(a.assemble("jnz self", at, syms, Mode.BITS64)));
        assertEquals("e9 03 00 00 00", hex(a.assemble("jmp self+8", at, syms, Mode.BITS64)));
        assertEquals("90 e9 0a 00 00 00", hex(a.assemble("nop; jmp 0xffffffff81200010", at, syms, Mode.BITS64)));
        assertEquals("0f 84 0a 00 00 00 e9 05 00 00 00", hex(a.assemble("je near\njmp near", 0xc1000000L,
                Map.of("near", 0xc1000010L), Mode.BITS32)));
    }

    /** A branch whose target rel32 cannot reach is an error, as ld's relocation overflow is. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"keystone", "gas"})
    void aBranchOutOfRel32RangeIsAnError(String name) {
        Assembler a = backend(name);
        assertThrows(AsmException.class, () -> a.assemble("jmp far", 0xffffffff81200000L,
                Map.of("far", 0x100000000L), Mode.BITS64));
    }

    /** A segment register loaded from a 16-bit register: no operand-size prefix. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"keystone", "gas"})
    void segmentLoadFrom16BitRegister(String name) throws AsmException {
        Assembler a = backend(name);
        assertEquals("8e d8 8e c2 8e d8", hex(a.assemble("movw %ax, %ds\nmov %dx,%es\nmovl %eax, %ds", 0xc1000000L,
                Map.of(), Mode.BITS32)));
        assertEquals("8e d8 41 8e e0 66 8c d8", hex(a.assemble("movw %ax,%ds; movw %r8w, %fs; movw %ds, %ax",
                0xffffffff81200000L, Map.of(), Mode.BITS64)));
    }

    /** bound in AT&T order: the index register first, then the bounds in memory. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"keystone", "gas"})
    void boundOperandOrder(String name) throws AsmException {
        assertEquals("62 03 62 44 b3 04", hex(backend(name).assemble("bound %eax,(%ebx)\nbound %eax, 4(%ebx,%esi,4)",
                0xc1000000L, Map.of(), Mode.BITS32)));
    }

    /** A bare absolute memory operand in 64-bit mode is absolute (SIB, no base), not RIP-relative. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"keystone", "gas"})
    void absoluteMemoryOperand64(String name) throws AsmException {
        Assembler a = backend(name);
        assertEquals("48 8b 04 25 28 00 00 00 48 89 04 25 30 00 00 00 48 83 3c 25 20 00 00 00 10",
                hex(a.assemble("movq 0x28,%rax\nmovq %rax, 0x28+8\ncmpq $0x10, 0x20", 0xffffffff81200000L,
                        Map.of(), Mode.BITS64)));
        assertEquals("a1 28 00 00 00", hex(a.assemble("movl 0x28,%eax", 0xc1000000L, Map.of(), Mode.BITS32)));
    }
}
