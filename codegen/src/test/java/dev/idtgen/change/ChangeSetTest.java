package dev.idtgen.change;

import dev.idtgen.model.VectorTable;
import dev.idtgen.validate.Tables;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The attribution rule: a change re-tests the vectors it can reach, and everything when it cannot say. */
class ChangeSetTest {

    /**
     * Two stubs sharing error_entry, their C handlers in .noinstr.text, a helper of #DE's that #OF's handler
     * calls too, generic code in .text (#OF's handler also reaches the code that loads the gate table, as every
     * handler reaching panic() does in a real kernel), and the gate table.
     */
    private static final String SOURCE = """
            .section .entry.text, "ax"
            .globl error_entry
            .type error_entry, @function
            error_entry:
                %s
                ret
            .size error_entry, . - error_entry
            .globl asm_exc_divide_error
            .type asm_exc_divide_error, @function
            asm_exc_divide_error:
                call error_entry
                call exc_divide_error
                %s
                ret
            .size asm_exc_divide_error, . - asm_exc_divide_error
            .globl asm_exc_overflow
            .type asm_exc_overflow, @function
            asm_exc_overflow:
                call error_entry
                call exc_overflow
                ret
            .size asm_exc_overflow, . - asm_exc_overflow
            .section .noinstr.text, "ax"
            .globl exc_divide_error
            .type exc_divide_error, @function
            exc_divide_error:
                call __exc_divide_error
                ret
            .size exc_divide_error, . - exc_divide_error
            .type ovf_local, @function
            ovf_local:
                ret
            .size ovf_local, . - ovf_local
            .globl __exc_divide_error
            .type __exc_divide_error, @function
            __exc_divide_error:
                %s
                call do_error_trap
                ret
            .size __exc_divide_error, . - __exc_divide_error
            .globl exc_overflow
            .type exc_overflow, @function
            exc_overflow:
                call do_error_trap
                call trap_init
                call ovf_local
                ret
            .size exc_overflow, . - exc_overflow
            .globl fred_helper
            .type fred_helper, @function
            fred_helper:
                %s
                ret
            .size fred_helper, . - fred_helper
            .text
            .globl do_error_trap
            .type do_error_trap, @function
            do_error_trap:
                %s
                ret
            .size do_error_trap, . - do_error_trap
            .globl trap_init
            .type trap_init, @function
            trap_init:
                leaq def_idts(%%rip), %%rax
                ret
            .size trap_init, . - trap_init
            .section .rodata, "a"
            .globl def_idts
            .type def_idts, @object
            def_idts:
                .long 0, 0x10, 0x8e00, 0
                .quad asm_exc_divide_error
                .long 4, 0x10, %s, 0
                .quad asm_exc_overflow
            .size def_idts, . - def_idts
            """;

    private static VectorTable table;

    @TempDir
    static Path dir;

    @BeforeAll
    static void table() throws Exception {
        Tables.Checked t = Tables.read(Path.of("vectors.yaml"), List.of(), "6.1");
        assertTrue(t.ok(), t.problems().toString());
        table = t.table();
    }

    /** The build with hole i filled with an instruction more ("nop"), hole 5 the gate's DPL 3; -1: none. */
    private static Path build(String name, int hole) throws Exception {
        Object[] holes = {"", "", "", "", "", "0x8e00"};
        if (hole >= 0) {
            holes[hole] = hole == 5 ? "0xee00" : "nop";
        }
        Path o = Assemble.object(dir, name, String.format(SOURCE, holes));
        return o;
    }

    private static ChangeSet change(int hole) throws Exception {
        Path base = build("base", -1);
        Path now = build("hole" + hole, hole);
        return ChangeSet.between(Fingerprints.of(base, List.of()), Fingerprints.of(now, List.of()), now, table);
    }

    /** #OF's handler reaches def_idts, which points at #DE's stub: that does not make #OF reach the stub. */
    @Test
    void aChangeInOneStubRetestsThatVectorOnly() throws Exception {
        ChangeSet c = change(1);
        assertEquals(List.of(), c.everything());
        assertEquals(Set.of(0), c.vectors().keySet(), c.toString());
        assertEquals(List.of("asm_exc_divide_error changed"), c.vectors().get(0));
    }

    @Test
    void aSharedEntryPieceRetestsEveryVectorThatReachesIt() throws Exception {
        ChangeSet c = change(0);
        assertEquals(Map.of(0, List.of("asm_exc_divide_error reaches error_entry"),
                4, List.of("asm_exc_overflow reaches error_entry")), c.vectors(), c.toString());
    }

    /**
     * #DE's helper grows; #OF's handler calls a static function placed before it, a call gas resolves without a
     * relocation, whose displacement changes: #OF still does not re-run.
     */
    @Test
    void aHandlersHelperRetestsItsVector() throws Exception {
        ChangeSet c = change(2);
        assertEquals(Set.of(0), c.vectors().keySet(), c.toString());
        assertTrue(c.vectors().get(0).contains("__exc_divide_error changed"), c.toString());
    }

    @Test
    void whatNoVectorReachesOrWhatLiesOutsideTheEntryCodeRetestsEverything() throws Exception {
        assertEquals(List.of("1 symbol (fred_helper) changed in the entry sections and no vector's own symbols "
                + "reach it"), change(3).everything());
        assertEquals(List.of("1 symbol (do_error_trap) changed outside the entry sections"), change(4).everything());
    }

    @Test
    void thousandsOfChangedSymbolsAreACountAndAFewNames() {
        List<String> many = new java.util.ArrayList<>();
        for (int i = 0; i < 5100; i++) {
            many.add("f" + i);
        }
        assertEquals("5100 symbols (f0, f1, f2, and 5097 more)", ChangeSet.some(many));
        assertEquals("2 symbols (a, b)", ChangeSet.some(List.of("a", "b")));
        assertEquals("1 symbol (a)", ChangeSet.some(List.of("a")));
    }

    @Test
    void aGateRetestsItsVectorAndNoChangeRetestsNothing() throws Exception {
        assertEquals(Map.of(4, List.of("def_idts[0x04] changed")), change(5).vectors(), change(5).toString());
        Path base = build("base", -1);
        Path again = build("again", -1);
        assertTrue(ChangeSet.between(Fingerprints.of(base, List.of()), Fingerprints.of(again, List.of()), again, table)
                .unchanged());
    }

    @Test
    void fingerprintsOfAnotherRuleAreNotComparedKeyByKey() throws Exception {
        Path now = build("rule", -1);
        Fingerprints current = Fingerprints.of(now, List.of());
        java.util.Map<String, String> old = new java.util.TreeMap<>(current.digests());
        old.remove(Fingerprints.RULE_KEY); // made before the rule was recorded: rule 1
        ChangeSet c = ChangeSet.between(new Fingerprints(old), current, now, table);
        assertEquals(List.of("the fingerprint rule changed (the baseline's 1, now " + Fingerprints.RULE + ")"),
                c.everything());
    }
}
