package dev.idtgen.edit;

import dev.idtgen.kernel.EntryComparator;
import dev.idtgen.model.Arch;
import dev.idtgen.model.VectorTable;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Which differences of {@code kernel compare} an edit of the table explains. A difference is the edit's when it is
 * a symbol of a vector the edit changes (its stub, its C entry and their prefixed variants, a stub array the edit
 * changes), the gate slot of a changed vector's number, FRED's dispatch when a changed vector has a FRED route, or
 * only the place of an entry symbol when the edit adds, removes or resizes stubs before it (the same instructions
 * and branch targets; only its address, its branch displacements or its alignment padding differ). Anything else is a difference the edit does not explain: the generated kernel differs from upstream where the
 * table says it does not.
 */
public final class Explained {

    static final String MOVED = "moved by the stubs the table changes";

    private Explained() {
    }

    /** The comparison of {@code arch}'s kernels, {@code r}, judged against {@code edit}. */
    public static Comparison classify(Arch arch, Edit edit, EntryComparator.Report r) {
        TableDiff diff = edit.diff();
        Set<String> handlers = diff.handlers();
        Set<Integer> numbers = diff.numbers();
        boolean fred = routesFred(edit.edited(), handlers) || routesFred(edit.reference(), handlers);
        List<String> changed = new ArrayList<>();
        List<String> moved = new ArrayList<>();
        List<String> unexplained = new ArrayList<>();
        for (EntryComparator.Difference d : r.differences()) {
            String why = why(d, handlers, numbers, fred, !diff.isEmpty());
            if (why == null) {
                unexplained.add(d.toString());
            } else if (why.equals(MOVED)) {
                moved.add(d.symbol());
            } else {
                changed.add(d + " (" + why + ")");
            }
        }
        return new Comparison(arch, r.symbolsCompared(), changed, moved, unexplained);
    }

    /** Why the edit explains {@code d}, or null when it does not. */
    static String why(EntryComparator.Difference d, Set<String> handlers, Set<Integer> numbers, boolean fred,
                      boolean edited) {
        if (d.vector() != null) {
            return numbers.contains(d.vector()) ? "the gate of a vector the table changes" : null;
        }
        if (edited && d.moved()) {
            return MOVED;
        }
        String symbol = d.symbol().replaceFirst("\\..*$", ""); // fred_intx.constprop.0: GCC's clone of fred_intx
        for (String h : handlers) {
            if (EntryComparator.owns(h, symbol)) {
                return h + " is changed by the table";
            }
        }
        if (fred && EntryComparator.FRED.contains(symbol)) {
            return "FRED's dispatch of a vector the table changes";
        }
        return null;
    }

    private static boolean routesFred(VectorTable t, Set<String> handlers) {
        return t.entries().stream().anyMatch(e -> handlers.contains(e.handler()) && e.fred() != null
                && !e.fred().routes().isEmpty());
    }
}
