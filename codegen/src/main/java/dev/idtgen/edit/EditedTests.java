package dev.idtgen.edit;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The test results that are about what the table's edit changes, so that stock and generated are not expected to
 * agree on them: those named after a changed handler ({@code "h"}, {@code "h case"}), and the gate audit's case,
 * the delivery case and the sweep's {@code int $n} of a number the edit touches. The disagreement protocol leaves
 * them out (re-running a difference the edit makes proves nothing); the verdict of a changed vector takes them.
 */
public record EditedTests(Set<String> handlers, Set<Integer> numbers) {

    /** No edit: no test is expected to differ. */
    public static final EditedTests NONE = new EditedTests(Set.of(), Set.of());

    public EditedTests {
        handlers = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(handlers));
        numbers = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(numbers));
    }

    /** The tests of the vectors {@code diff} changes. */
    public static EditedTests of(TableDiff diff) {
        return new EditedTests(diff.handlers(), diff.numbers());
    }

    /** Whether the test result named {@code name} is about a vector the edit changes. */
    public boolean covers(String name) {
        for (String h : handlers) {
            if (name.equals(h) || name.startsWith(h + " ")) {
                return true;
            }
        }
        for (Integer n : numbers) {
            if (aboutNumber(name, n)) {
                return true;
            }
        }
        return false;
    }

    /** The gate audit's case of vector {@code n}'s slot, its delivery case, and the sweep's {@code int $n}. */
    public static boolean aboutNumber(String name, Integer n) {
        return n != null && (name.equals(String.format("idt_audit vector_0x%02x", n))
                || name.equals(String.format("idt_delivery deliver_0x%02x", n)) || name.equals("sweep int_" + n));
    }

    /** The names, for a file: handlers, then numbers as 0xNN. */
    public List<String> names() {
        List<String> out = new java.util.ArrayList<>(handlers);
        numbers.forEach(n -> out.add(String.format("0x%02x", n)));
        return out;
    }

    /** As {@link #names()} writes them. */
    public static EditedTests fromNames(List<String> names) {
        Set<String> h = new TreeSet<>();
        Set<Integer> n = new TreeSet<>();
        for (String s : names) {
            if (s.startsWith("0x")) {
                n.add(Integer.parseInt(s.substring(2), 16));
            } else {
                h.add(s);
            }
        }
        return new EditedTests(h, n);
    }
}
