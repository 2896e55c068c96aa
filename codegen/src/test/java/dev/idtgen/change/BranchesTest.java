package dev.idtgen.change;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The displacements of an objdump listing that no relocation fills in. */
class BranchesTest {

    private static final String LISTING = """
            x.o:     file format elf64-x86-64

               0:\te8 00 00 00 00       \tcall   5 <before_any_section>

            Disassembly of section .entry.text:

            0000000000000000 <asm_exc_a>:
               0:\t6a ff                \tpush   $0xffffffffffffffff
               2:\te8 00 00 00 00       \tcall   7 <asm_exc_a+0x7>
            \t\t\t3: R_X86_64_PLT32\texc_a-0x4
               7:\te8 05 00 00 00       \tcall   11 <local>
               c:\t0f 85 10 00 00 00    \tjne    22 <local+0x5>
              12:\teb 02                \tjmp    16 <local+0x9>
              14:\tb8 01 00 00 00       \tmov    $0x1,%eax

            Disassembly of section .noinstr.text:

            0000000000000000 <other>:
               0:\te9 00 00 00 00       \tjmp    5 <other+0x5>
            """;

    @Test
    void keepsTheDisplacementsOfCallsAndJumpsWithoutARelocation() throws IOException {
        Map<String, Map<Long, String>> got = Branches.unrelocated(new BufferedReader(new StringReader(LISTING)));
        assertEquals(Map.of(".entry.text", Map.of(0x8L, "local", 0xeL, "local+0x5"),
                ".noinstr.text", Map.of(0x1L, "other+0x5")), got);
    }
}
