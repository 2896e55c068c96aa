package dev.idtgen.edit;

import dev.idtgen.model.Arch;

import java.util.List;

/**
 * {@code kernel compare} of one architecture's stock and generated vmlinux.o, judged against the edit: the
 * differences the edit explains ("changed by the table") and those it does not, each a failure naming its symbol.
 * With no edit, every difference is one the edit does not explain.
 */
public record Comparison(Arch arch, int symbolsCompared, List<String> changed, List<String> moved,
                         List<String> unexplained) {

    public Comparison {
        changed = List.copyOf(changed);
        moved = List.copyOf(moved);
        unexplained = List.copyOf(unexplained);
    }

    /** Without moved symbols. */
    public Comparison(Arch arch, int symbolsCompared, List<String> changed, List<String> unexplained) {
        this(arch, symbolsCompared, changed, List.of(), unexplained);
    }

    /** The symbols the edit only moved, in one line: how many and the first few. */
    public String movedLine() {
        int n = moved.size();
        return n + " symbol(s) moved by the edit, the same code at another place ("
                + String.join(", ", moved.subList(0, Math.min(4, n))) + (n > 4 ? ", and " + (n - 4) + " more" : "")
                + ")";
    }

    /** The failures: one per difference the edit does not explain. */
    public List<String> failures() {
        return unexplained.stream().map(u -> arch.yamlName() + ": kernel compare: " + u
                + " (not a vector the table's edit changes)").toList();
    }

    /** One line for the run's output and the report. */
    public String line() {
        String head = arch.yamlName() + ": kernel compare: " + symbolsCompared + " symbols compared";
        if (changed.isEmpty() && moved.isEmpty() && unexplained.isEmpty()) {
            return head + ", entry code byte-identical to stock";
        }
        return head + ", " + changed.size() + " changed by the table" + (moved.isEmpty() ? ""
                : ", " + moved.size() + " moved by it") + (unexplained.isEmpty()
                ? ", nothing else differs" : ", " + unexplained.size() + " difference(s) the edit does not explain");
    }
}
