package dev.idtgen.asm;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * How listings are grouped into ks_asm calls: which may move, their alignment,
 * and (with a libkeystone with X86) that a kernel-like set of stubs takes a
 * handful of calls and gets the bytes each listing gets alone.
 */
class KeystoneBatchesTest {

    @Test
    void whatMayMove() {
        assertTrue(KeystoneBatches.pcRelativeKnown("cld\npushq $-1\ncall error_entry\n.byte 0xe9; .long x - . - 4"));
        assertTrue(KeystoneBatches.pcRelativeKnown(".byte 0x6a, 0x20\n.balign 8, 0xcc\nmovq f, %rax"));
        assertFalse(KeystoneBatches.pcRelativeKnown("leaq x(%rip), %rax"));
        assertFalse(KeystoneBatches.pcRelativeKnown("1: loop 1b"));
        assertFalse(KeystoneBatches.pcRelativeKnown(".long . + 8"));
    }

    @Test
    void numericLabels() {
        assertTrue(KeystoneBatches.hasNumericLabel("1: nop"));
        assertTrue(KeystoneBatches.hasNumericLabel("nop\njmp 1f"));
        assertTrue(KeystoneBatches.hasNumericLabel("jnz 12b; ret"));
        assertFalse(KeystoneBatches.hasNumericLabel(".byte 0x6a, 0x2b\njmp x1f\npushq $0x1f\n.Ll1b: nop"));
    }

    @Test
    void alignments() {
        assertEquals(1, KeystoneBatches.alignment("nop"));
        assertEquals(16, KeystoneBatches.alignment("nop\n\t.balign 8, 0xcc\n.p2align 4"));
        assertEquals(32, KeystoneBatches.alignment("nop; .balign 32; nop"));
        assertEquals(Long.MAX_VALUE, KeystoneBatches.alignment(".balign N"));
    }

    @Test
    void endAlignments() {
        assertEquals(8, KeystoneBatches.endAlignment(".byte 0x6a, 0x20\njmp x\n\t.balign 8, 0xcc\n\n"));
        assertEquals(16, KeystoneBatches.endAlignment("nop; .p2align 4"));
        assertEquals(0, KeystoneBatches.endAlignment(".balign 8\nnop"));
    }

    /** 224 irq stubs at IDT_ALIGN and 20 asm_* stubs apart: two ks_asm calls, one per run. */
    @Test
    void kernelLikeStubsTakeAFewCallsAndTheirOwnBytes() throws AsmException {
        Keystone ks = Keystone.load(System.getenv());
        assumeTrue(ks.loaded() && ks.archSupported(KeystoneNative.KS_ARCH_X86),
                () -> "needs a libkeystone with X86 (KEYSTONE_LIBRARY): " + ks.describe());
        long at = 0xffffffff81200000L;
        Map<String, Long> syms = Map.of("asm_common_interrupt", at + 0x2000, "error_entry", at + 0x3000,
                "error_return", at + 0x30c0);
        List<KeystoneBatches.Item> items = new ArrayList<>();
        for (int v = 0; v < 224; v++) {
            String l = KeystoneDialect.rewrite(".byte 0x6a, " + (0x20 + v) + "\njmp asm_common_interrupt\n"
                    + ".balign 8, 0xcc", at + 8L * v, syms, Mode.BITS64).listing();
            items.add(new KeystoneBatches.Item(items.size(), "irq" + v, l, at + 8L * v, Map.of()));
        }
        long stubs = at + 0x1000;
        for (int s = 0; s < 20; s++) {
            long a = stubs + 0x2cL * s; // apart, not a power-of-two spacing: the grid
            String l = KeystoneDialect.rewrite("cld\npushq $-1\ncall error_entry\nmovq %rsp, %rdi\n"
                    + "call exc_" + s + "\njmp error_return", a, Map.of("exc_" + s, at - 0x1000L * s,
                    "error_entry", at + 0x3000, "error_return", at + 0x30c0), Mode.BITS64).listing();
            items.add(new KeystoneBatches.Item(items.size(), "stub" + s, l, a, Map.of()));
        }
        Map<String, Long> all = new java.util.HashMap<>(syms);
        for (int s = 0; s < 20; s++) {
            all.put("exc_" + s, at - 0x1000L * s);
        }
        try (Keystone.Engine e = ks.open(KeystoneNative.KS_ARCH_X86, KeystoneNative.KS_MODE_64)) {
            e.option(KeystoneNative.KS_OPT_SYNTAX, KeystoneNative.KS_OPT_SYNTAX_ATT);
            e.useResolver();
            int[] calls = {0};
            List<byte[]> batched = KeystoneBatches.assemble(items, all, (l, a, sy) -> {
                calls[0]++;
                return e.asm(l, a, sy);
            });
            assertEquals(2, calls[0]);
            for (KeystoneBatches.Item it : items) {
                assertEquals(HexFormat.of().formatHex(e.asm(it.listing(), it.address(), all)),
                        HexFormat.of().formatHex(batched.get(it.index())), it.name());
            }
        }
    }

    /** A listing longer than the grid's slot is found, assembled alone, and the rest go on the grid again. */
    @Test
    void aListingLongerThanItsSlotGoesAlone() throws AsmException {
        Keystone ks = Keystone.load(System.getenv());
        assumeTrue(ks.loaded() && ks.archSupported(KeystoneNative.KS_ARCH_X86),
                () -> "needs a libkeystone with X86 (KEYSTONE_LIBRARY): " + ks.describe());
        long at = 0xc1000000L;
        Map<String, Long> syms = Map.of("f", at + 0x8000);
        List<KeystoneBatches.Item> items = new ArrayList<>();
        for (int s = 0; s < 10; s++) {
            // the fifth: 1 + 128 bytes at an address aligned as it asks, few characters
            String l = s == 4 ? "nop\n.balign 128, 0x90\nnop" : "pushl $" + s + "\ncall f";
            items.add(new KeystoneBatches.Item(s, "stub" + s, l, s == 4 ? at + 0x1000 : at + 0x2cL * s, Map.of()));
        }
        try (Keystone.Engine e = ks.open(KeystoneNative.KS_ARCH_X86, KeystoneNative.KS_MODE_32)) {
            e.option(KeystoneNative.KS_OPT_SYNTAX, KeystoneNative.KS_OPT_SYNTAX_ATT);
            e.useResolver();
            int[] calls = {0};
            List<byte[]> batched = KeystoneBatches.assemble(items, syms, (l, a, sy) -> {
                calls[0]++;
                return e.asm(l, a, sy);
            });
            assertEquals(3, calls[0], "the grid, the long listing alone, the grid again");
            assertEquals(129, batched.get(4).length);
            for (KeystoneBatches.Item it : items) {
                assertEquals(HexFormat.of().formatHex(e.asm(it.listing(), it.address(), syms)),
                        HexFormat.of().formatHex(batched.get(it.index())), it.name());
            }
        }
    }
}
