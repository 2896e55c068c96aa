package dev.idtgen.edit;

import dev.idtgen.model.Problem;
import dev.idtgen.model.Rule;
import dev.idtgen.validate.Tables;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The mistakes of an edit the table itself catches, before anything is built: each is a
 * {@code file:line:column: rule: message} naming the vector, at the line of the overlay that makes it.
 */
class EditMistakesTest {

    private static List<Problem> problems(Path dir, String overlay) throws Exception {
        Path f = dir.resolve("my-vector.yaml");
        Files.writeString(f, overlay);
        Tables.Checked c = Tables.read(Path.of("vectors.yaml"), List.of(f), "6.12");
        assertFalse(c.ok(), "the overlay is refused:\n" + overlay);
        return c.problems();
    }

    private static Problem only(List<Problem> ps, Rule rule) {
        List<Problem> of = ps.stream().filter(p -> p.rule() == rule).toList();
        assertTrue(of.size() == 1, "one " + rule + " problem: " + ps);
        return of.get(0);
    }

    @Test
    void aVectorNumberAlreadyTakenNamesTheNumberAtTheOverlaysLine(@TempDir Path dir) throws Exception {
        Problem p = only(problems(dir, """
                symbols:
                  IDTGEN_TAKEN_VECTOR: 0x80
                entries:
                  - {handler: exc_idtgen_taken, vector: IDTGEN_TAKEN_VECTOR, number: 0x80, kind: plain, error_code: none, arches: [x86_64, i386]}
                """), Rule.DUPLICATE_VECTOR);
        assertTrue(p.toString().startsWith(dir.resolve("my-vector.yaml") + ":4:"), p.toString());
        assertTrue(p.message().contains("0x80"), p.toString());
    }

    @Test
    void aGateForAHandlerWithNoEntryNamesTheHandler(@TempDir Path dir) throws Exception {
        Problem p = only(problems(dir, """
                gates:
                  def:
                    - {handler: exc_idtgen_missing, type: system, dpl: 3, waive: {dpl3: "a user-callable vector"}}
                """), Rule.GATE_TARGET);
        assertTrue(p.toString().startsWith(dir.resolve("my-vector.yaml") + ":3:"), p.toString());
        assertTrue(p.message().contains("exc_idtgen_missing"), p.toString());
    }
}
