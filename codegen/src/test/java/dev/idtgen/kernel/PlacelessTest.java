package dev.idtgen.kernel;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * The same code at another place: a symbol moved by stubs inserted before it keeps its instructions and branch
 * targets, while its branch displacements, its internal alignment padding and the addresses objdump prints change.
 */
class PlacelessTest {

    @Test
    void aBranchIntoTheSymbolItselfIsTheInstructionItLandsOnWhateverThePadding() {
        List<String> stock = List.of("+0x0 endbr64", "+0x4 call <clear_bhb_loop+0x5b>", "+0x9 jmp <x+0x10>",
                "+0xb nopw 0x0(%rax,%rax,1)", "+0x5b ret");
        List<String> generated = List.of("+0x0 endbr64", "+0x4 call <clear_bhb_loop+0x3b>", "+0x9 jmp <x+0x10>",
                "+0x3b ret");
        assertEquals(EntryComparator.placeless("clear_bhb_loop", stock),
                EntryComparator.placeless("clear_bhb_loop", generated));
        List<String> elsewhere = List.of("+0x0 endbr64", "+0x4 call <clear_bhb_loop+0x0>", "+0x9 jmp <x+0x10>",
                "+0x3b ret");
        assertNotEquals(EntryComparator.placeless("clear_bhb_loop", stock),
                EntryComparator.placeless("clear_bhb_loop", elsewhere), "a branch that lands elsewhere differs");
        List<String> otherTarget = List.of("+0x0 endbr64", "+0x4 call <clear_bhb_loop+0x3b>", "+0x9 jmp <x+0x14>",
                "+0x3b ret");
        assertNotEquals(EntryComparator.placeless("clear_bhb_loop", stock),
                EntryComparator.placeless("clear_bhb_loop", otherTarget), "another target symbol+offset differs");
    }

    @Test
    void int3PaddingAndAnI386AddendIntoASectionAreNotCompared() {
        assertEquals(EntryComparator.placeless("f", List.of("+0x0 ret", "+0x1 int3", "+0x2 int3", "+0x3 int3")),
                EntryComparator.placeless("f", List.of("+0x0 ret", "+0x1 int3")));
        assertEquals(EntryComparator.placeless("f", List.of("+0x0 push $0x3a6d9 R_386_32 .rodata.str1.1")),
                EntryComparator.placeless("f", List.of("+0x0 push $0x3a6ed R_386_32 .rodata.str1.1")));
        assertNotEquals(EntryComparator.placeless("f", List.of("+0x0 push $0x3a6d9 R_386_32 .rodata.str1.1")),
                EntryComparator.placeless("f", List.of("+0x0 push $0x3a6ed R_386_32 .data")));
    }

    @Test
    void theAddressBeforeARelocationIsNotCompared() {
        assertEquals(EntryComparator.placeless("f", List.of("+0x2c call <f+0x2d> 2c97: R_386_PC32 tick")),
                EntryComparator.placeless("f", List.of("+0x2c call <f+0x2d> 2caf: R_386_PC32 tick")));
        assertNotEquals(EntryComparator.placeless("f", List.of("+0x2c call <f+0x2d> 2c97: R_386_PC32 tick")),
                EntryComparator.placeless("f", List.of("+0x2c call <f+0x2d> 2caf: R_386_PC32 tock")));
    }
}
