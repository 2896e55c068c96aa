package dev.idtgen.importer;

import dev.idtgen.model.Arch;
import dev.idtgen.model.Condition;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Where lines are compiled in: the {@code #if} condition of a line split
 * into the architectures it holds on and the condition that remains. An
 * option whose {@code depends on} lines rule out an architecture counts as
 * that architecture's symbol (an entry under {@code CONFIG_IA32_EMULATION}
 * exists on x86_64 only).
 */
final class Placements {

    /** Where a line is compiled in: on which architectures, under which condition. */
    record Placement(Set<Arch> arches, Condition condition) {
    }

    private final KconfigFacts facts;

    Placements(KconfigFacts facts) {
        this.facts = facts;
    }

    /**
     * Splits the condition of {@code line} into architectures (among
     * {@code allowed}) and the condition that remains; null when the line is
     * compiled in nowhere.
     */
    Placement place(SourceFile.Line line, Set<Arch> allowed) throws ImportException {
        Condition raw = line.condition();
        Set<Arch> arches = EnumSet.noneOf(Arch.class);
        Map<Arch, Condition> rest = new EnumMap<>(Arch.class);
        for (Arch a : allowed) {
            Condition c = Conditions.forArch(raw, a, this::impossible);
            if (!Conditions.isFalse(c)) {
                arches.add(a);
                rest.put(a, c);
            }
        }
        if (arches.isEmpty()) {
            return null;
        }
        Condition shared = sharedRemainder(rest);
        if (shared != null) {
            return new Placement(arches, shared);
        }
        StringBuilder b = new StringBuilder();
        rest.forEach((a, c) -> b.append(b.length() == 0 ? "" : ", ").append(a.yamlName()).append(": ").append(c.toC()));
        throw new ImportException(line.file(), line.number(), "the condition " + raw.toC()
                + " differs between the architectures (" + b + "); the table has one condition per line");
    }

    /**
     * One condition for all: an architecture's remainder that reads the same as every other's once specialised
     * to it (!TDX &amp;&amp; X is X on i386, where TDX cannot be enabled); null when there is none.
     */
    private Condition sharedRemainder(Map<Arch, Condition> rest) {
        for (Condition candidate : rest.values()) {
            boolean fits = true;
            for (Map.Entry<Arch, Condition> r : rest.entrySet()) {
                fits &= Conditions.forArch(candidate, r.getKey(), this::impossible).equals(r.getValue());
            }
            if (fits) {
                return candidate;
            }
        }
        return null;
    }

    /** {@code c} as seen when building for x86_64 (the only architecture with FRED). */
    Condition onX86_64(Condition c) {
        return Conditions.forArch(c, Arch.X86_64, this::impossible);
    }

    /** True when {@code symbol} depends on the architecture symbol of another architecture than {@code arch}. */
    private boolean impossible(String symbol, Arch arch) {
        Set<String> g = facts.guarantees(symbol);
        for (Arch other : Arch.values()) {
            if (other != arch && g.contains(other.kconfig())) {
                return true;
            }
        }
        return false;
    }
}
