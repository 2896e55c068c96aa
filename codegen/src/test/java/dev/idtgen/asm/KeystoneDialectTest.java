package dev.idtgen.asm;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rewriting Keystone's listings go through, as text (no library needed):
 * what is rewritten, and as important, what is left alone. That the rewritten
 * forms encode to GNU as's bytes is AssemblerContractTest's part.
 */
class KeystoneDialectTest {

    private static final long AT = 0xffffffff81200000L;
    private static final Map<String, Long> SYMS = Map.of("error_entry", AT + 0x1000, "near", AT + 0x10);

    private static String rw(String listing, Mode mode) throws AsmException {
        return KeystoneDialect.rewrite(listing, AT, SYMS, mode).listing();
    }

    @Test
    void aListingWithNothingToBridgeIsUnchangedAndKeepsItsSymbols() throws AsmException {
        String l = "\tcld\n\tpushq\t$-1\n\tcall\terror_entry\n\tmovq\t%rsp, %rdi\n.balign 8, 0xcc\n";
        KeystoneDialect.Rewritten r = KeystoneDialect.rewrite(l, AT, SYMS, Mode.BITS64);
        assertEquals(l, r.listing());
        assertTrue(r.absolute().isEmpty());
    }

    @Test
    void endbrBecomesItsBytes() throws AsmException {
        assertEquals("\t.byte 0xf3, 0x0f, 0x1e, 0xfa\n.byte 0x6a, 0x20", rw("\tendbr64\n.byte 0x6a, 0x20",
                Mode.BITS64));
        assertEquals(".byte 0xf3, 0x0f, 0x1e, 0xfb", rw("endbr32", Mode.BITS32));
    }

    @Test
    void branchesToOutsideSymbolsBecomeRel32() throws AsmException {
        assertEquals("\tcld\n\t.byte 0xe9; .long error_entry - . - 4", rw("\tcld\n\tjmp\terror_entry", Mode.BITS64));
        assertEquals("nop; .byte 0x0f, 0x84; .long near - . - 4", rw("nop; jz near", Mode.BITS64));
        assertEquals("nop; .byte 0x0f, 0x84; .long near - . - 4", rw("nop; je near", Mode.BITS64));
        assertEquals("nop; .byte 0x0f, 0x8f; .long near+8 - . - 4", rw("nop; jg near+8", Mode.BITS64));
        assertEquals("nop; .byte 0x0f, 0x82; .long near - . - 4", rw("nop; JC near", Mode.BITS64));
    }

    /** After statements of known size only, the branch is its opcode and rel32 = target - (address + its end). */
    @Test
    void aBranchAtAKnownOffsetIsAllBytes() throws AsmException {
        // irq stub: push imm8 (2 bytes), jmp at +2, ends at +7: 0x1000 - 7 = 0xff9
        assertEquals("\t.byte\t0x6a, 0x20\n\t.byte 0xe9; .long 0xff9\n\t.balign 8, 0xcc",
                rw("\t.byte\t0x6a, 0x20\n\tjmp\terror_entry\n\t.balign 8, 0xcc", Mode.BITS64));
        // endbr64 (4 bytes) first, then jz at +4, ends at +10: 0x10 - 10 = 6
        assertEquals(".byte 0xf3, 0x0f, 0x1e, 0xfa\n.byte 0x0f, 0x84; .long 0x6",
                rw("endbr64\njz near", Mode.BITS64));
        // a backward target: near - 0x20 from +0, ends at +5: -0x15
        assertEquals(".byte 0xe9; .long 0xffffffeb", rw("jmp near-0x20", Mode.BITS64));
        // .balign moves the known offset: 3 bytes, aligned to 8, then the jmp ends at +13: 0x10 - 13 = 3
        assertEquals(".byte 1, 2, 3\n.balign 8\n.byte 0xe9; .long 0x3",
                rw(".byte 1, 2, 3\n.balign 8\njmp near", Mode.BITS64));
        // as Keystone does, to the absolute address: from AT + 4, +3 bytes is AT + 7, aligned to AT + 8,
        // so the jmp ends at AT + 13: 0x10 - 13 = 3
        assertEquals(".byte 1, 2, 3\n.balign 8\n.byte 0xe9; .long 0x3", KeystoneDialect.rewrite(
                ".byte 1, 2, 3\n.balign 8\njmp near", AT + 4, SYMS, Mode.BITS64).listing());
    }

    @Test
    void anAbsoluteTargetBecomesASymbolOfItsOwn() throws AsmException {
        KeystoneDialect.Rewritten r = KeystoneDialect.rewrite("nop; jmp 0xffffffff81200010", AT, SYMS, Mode.BITS64);
        assertEquals("nop; .byte 0xe9; .long __idtgen_abs_ffffffff81200010 - . - 4", r.listing());
        assertEquals(Map.of("__idtgen_abs_ffffffff81200010", AT + 0x10), r.absolute());
    }

    @Test
    void localBranchesIndirectBranchesAndCallsAreLeftAlone() throws AsmException {
        String l = "jnz .Lskip\nnop\n.Lskip: jmp 1f\n1:\tjmp *%rax\ncall error_entry\njmp .Lskip; ret";
        assertEquals(l, rw(l, Mode.BITS64));
    }

    @Test
    void aLabelInFrontOfABranchIsKept() throws AsmException {
        assertEquals("cld\n.Lx: .byte 0xe9; .long near - . - 4", rw("cld\n.Lx: jmp near", Mode.BITS64));
    }

    @Test
    void anUndefinedBranchTargetIsAnErrorNamingIt() {
        AsmException e = assertThrows(AsmException.class, () -> rw("nop\njmp nosuch", Mode.BITS64));
        assertEquals("undefined symbol 'nosuch' in `jmp nosuch`", e.getMessage());
    }

    @Test
    void aTargetOutOfRel32RangeIsAnError() {
        AsmException e = assertThrows(AsmException.class, () -> KeystoneDialect.rewrite("jmp far", AT,
                Map.of("far", 0x100000000L), Mode.BITS64));
        assertTrue(e.getMessage().contains("out of rel32 range"), e.getMessage());
    }

    @Test
    void segmentLoadsFrom16BitRegistersUse32BitOnes() throws AsmException {
        assertEquals("movl %eax, %ds\n\tmovl %r8d, %fs\nmovw %ds, %ax\nmovw (%rbx), %ds\nmov %ax, %bx",
                rw("movw %ax,%ds\n\tmovw %r8w, %fs\nmovw %ds, %ax\nmovw (%rbx), %ds\nmov %ax, %bx", Mode.BITS64));
    }

    @Test
    void boundOperandsAreSwapped() throws AsmException {
        assertEquals("bound (%ebx,%esi,4), %eax", rw("bound %eax,(%ebx,%esi,4)", Mode.BITS32));
    }

    @Test
    void bareAbsoluteOperandsGetTheDefaultSegmentIn64BitModeOnly() throws AsmException {
        assertEquals("movq %ds:0x28, %rax\ncmpq $0x10, %ds:0x20+8\nmovq 8(%rsp), %rax\nmovq sym, %rax\n"
                        + "movabsq 0x28,%rax\npushq $5",
                rw("movq 0x28,%rax\ncmpq $0x10, 0x20+8\nmovq 8(%rsp), %rax\nmovq sym, %rax\nmovabsq 0x28,%rax\n"
                        + "pushq $5", Mode.BITS64));
        assertEquals("movl 0x28,%eax", rw("movl 0x28,%eax", Mode.BITS32));
    }

    /** What would fail or hang inside ks_asm is an error here, naming the statement. */
    @Test
    void directivesKeystoneCannotTakeAreErrors() throws AsmException {
        AsmException org = assertThrows(AsmException.class, () -> rw("nop\n.org 0x10", Mode.BITS64));
        assertEquals("`.org 0x10`: Keystone cannot assemble .org (use --assembler gas)", org.getMessage());
        AsmException skip = assertThrows(AsmException.class, () -> rw("nop\n.skip 16 - ., 0xcc", Mode.BITS64));
        assertTrue(skip.getMessage().contains(".skip with the location counter"), skip.getMessage());
        assertEquals(".skip 16, 0xcc\n.fill 2, 1, 0x90", rw(".skip 16, 0xcc\n.fill 2, 1, 0x90", Mode.BITS64));
    }

    @Test
    void directivesAreNotInstructions() throws AsmException {
        String l = ".byte 0x90, 0x90\n.balign 16, 0xcc\n.long 0x28";
        assertEquals(l, rw(l, Mode.BITS64));
    }

    @Test
    void operandsSplitOutsideParentheses() {
        assertEquals(List.of("$1", "8(%rsp,%rax,4)"), KeystoneDialect.operands(" $1, 8(%rsp,%rax,4) "));
        assertEquals(List.of(), KeystoneDialect.operands(""));
    }

    @Test
    void constantsEvaluate() {
        assertEquals(0x30, KeystoneDialect.evaluate("0x28+8"));
        assertEquals(-8, KeystoneDialect.evaluate("-8"));
        assertEquals(136 - 120, KeystoneDialect.evaluate("136 - 120"));
        assertEquals(5 * 8 + 1, KeystoneDialect.evaluate("5*8+1"));
        assertEquals(0xffffffff81200010L, KeystoneDialect.evaluate("0xffffffff81200010"));
    }
}
