package dev.idtgen.validate;

import dev.idtgen.model.Arch;
import dev.idtgen.model.Pos;
import dev.idtgen.model.Problem;
import dev.idtgen.model.Rule;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What a validation run found: its problems, and which waivers of which entry or gate waived a problem. */
final class Findings {

    private final List<Problem> problems = new ArrayList<>();
    private final Map<Object, Set<String>> usedWaivers = new HashMap<>();

    void add(Pos pos, Rule rule, String message) {
        problems.add(new Problem(pos, rule, message));
    }

    /** Runs a check whose conditions may read too many symbols to decide; reports that at {@code at}. */
    void decidable(Pos at, String who, Runnable check) {
        try {
            check.run();
        } catch (Configs.TooManySymbols ex) {
            add(at, Rule.BAD_CONDITION, who + ": " + ex.getMessage());
        }
    }

    List<Problem> problems() {
        return problems;
    }

    /** True when {@code owner} waives {@code rule} (and the waiver is then used). */
    boolean waived(Object owner, Map<String, String> waivers, Rule rule) {
        if (waivers.containsKey(rule.id())) {
            usedWaivers.computeIfAbsent(owner, k -> new HashSet<>()).add(rule.id());
            return true;
        }
        return false;
    }

    /** The rule ids of {@code owner}'s waivers that waived a problem. */
    Set<String> used(Object owner) {
        return usedWaivers.getOrDefault(owner, Set.of());
    }

    /** A vector as the messages write it: decimal below 32, else hex. */
    static String hex(int n) {
        return n < 32 ? Integer.toString(n) : String.format("0x%02x", n);
    }

    static String names(Set<Arch> arches) {
        return String.join(", ", arches.stream().map(Arch::yamlName).toList());
    }
}
