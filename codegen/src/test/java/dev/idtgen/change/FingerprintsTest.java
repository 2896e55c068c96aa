package dev.idtgen.change;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Fingerprints follow a symbol's code and data, not where the linker puts it. */
class FingerprintsTest {

    /** Two stubs, a stub array of 4 slots (vectors 0x20-0x23), a gate table and a string without a symbol. */
    private static final String SOURCE = """
            .section .entry.text, "ax"
            .globl asm_exc_a
            .type asm_exc_a, @function
            asm_exc_a:
                push $-1
                call exc_a
                %s
                ret
            .size asm_exc_a, . - asm_exc_a
            .globl asm_exc_b
            .type asm_exc_b, @function
            asm_exc_b:
                push $-1
                call exc_b
                ret
            .size asm_exc_b, . - asm_exc_b
            .globl irq_entries_start
            .type irq_entries_start, @function
            irq_entries_start:
                .rept 4
                push $0
                jmp common_interrupt
                .endr
            .size irq_entries_start, . - irq_entries_start
            .section .rodata, "a"
            .globl def_idts
            .type def_idts, @object
            def_idts:
                .long 3, 0x10, 0x8e00, 0
                .quad asm_exc_a
                .long %d, 0x10, 0x8e00, 0
                .quad asm_exc_b
            .size def_idts, . - def_idts
            .section .rodata.str1.1, "aMS", @progbits, 1
                .asciz "%s"
            """;

    private static Map<String, String> fingerprints(Path dir, String name, String insn, int vector, String text)
            throws Exception {
        Path o = Assemble.object(dir, name, String.format(SOURCE, insn, vector, text));
        return Fingerprints.of(o, List.of(new Fingerprints.Array("irq_entries_start", 0x20, 0x24))).digests();
    }

    private static List<String> changed(Map<String, String> a, Map<String, String> b) {
        TreeSet<String> keys = new TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        return keys.stream().filter(k -> !java.util.Objects.equals(a.get(k), b.get(k))).toList();
    }

    @Test
    void aChangeShowsInTheSymbolThatHasItAndNowhereElse(@TempDir Path dir) throws Exception {
        Map<String, String> base = fingerprints(dir, "base", "nop", 4, "hello");
        assertEquals(base, fingerprints(dir, "again", "nop", 4, "hello"), "deterministic");
        assertTrue(base.containsKey("irq_entries_start[0x23]") && base.containsKey("def_idts[0x04]"), base.toString());
        // one instruction more in asm_exc_a: asm_exc_b moves, its own bytes and relocations do not change
        assertEquals(List.of("asm_exc_a"), changed(base, fingerprints(dir, "insn", "nop; nop", 4, "hello")));
        // the second gate of the table points at another vector: its slot and the table
        assertEquals(List.of("def_idts", "def_idts[0x04]", "def_idts[0x05]"),
                changed(base, fingerprints(dir, "gate", "nop", 5, "hello")));
        // a string no symbol holds
        assertEquals(List.of(".rodata.str1.1:unowned"), changed(base, fingerprints(dir, "str", "nop", 4, "world")));
    }
}
