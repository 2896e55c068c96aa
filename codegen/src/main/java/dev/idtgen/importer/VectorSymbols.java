package dev.idtgen.importer;

import dev.idtgen.model.Condition;
import dev.idtgen.model.Symbol;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The vector symbols of {@code trapnr.h} and {@code irq_vectors.h}: every
 * numeric object-like macro (or alias of one), with the condition it is
 * defined under, and the text of every object-like macro for the stub
 * arrays' counts.
 */
final class VectorSymbols {

    /** Numeric macros of irq_vectors.h that are no vectors. */
    static final Set<String> NOT_VECTORS = Set.of("NR_IRQS", "NR_IRQS_LEGACY", "CPU_VECTOR_LIMIT",
            "IO_APIC_VECTOR_LIMIT", "NR_EXTERNAL_VECTORS", "NR_SYSTEM_VECTORS");

    private static final Pattern NUMBER = Pattern.compile("(0[xX][0-9a-fA-F]+|[0-9]+)[uUlL]*");

    private final Map<String, Symbol> symbols = new LinkedHashMap<>();
    /** The text of every object-like macro (first definition), for the stub arrays. */
    private final Map<String, String> macros = new HashMap<>();

    /** The symbols read so far, in file order (the map the table keeps). */
    Map<String, Symbol> symbols() {
        return symbols;
    }

    /** The symbol {@code name}, or null. */
    Symbol get(String name) {
        return symbols.get(name);
    }

    /** The text of the object-like macro {@code name} (its first definition), or null. */
    String macro(String name) {
        return macros.get(name);
    }

    /** Reads the {@code #define} lines of {@code file}. */
    void read(Path file) throws ImportException {
        for (SourceFile.Line line : SourceFile.read(file)) {
            if (!"define".equals(line.directive())) {
                continue;
            }
            Matcher m = SourceFile.DEFINE.matcher(line.argument());
            if (!m.matches() || m.group(2) != null) {
                continue; // function-like
            }
            String name = m.group(1);
            String value = m.group(3).strip();
            macros.putIfAbsent(name, value);
            if (NOT_VECTORS.contains(name) || symbols.containsKey(name)) {
                continue; // the first definition wins (FIRST_SYSTEM_VECTOR has one per #if branch)
            }
            Symbol s = symbol(line, name, value);
            if (s != null) {
                symbols.put(name, s);
            }
        }
    }

    /** The symbol {@code #define name value} defines: null when the value is not numeric or never defined. */
    private Symbol symbol(SourceFile.Line line, String name, String value) throws ImportException {
        Integer number = null;
        Condition cond = null;
        Matcher n = NUMBER.matcher(value);
        if (n.matches()) {
            String digits = n.group(1);
            number = digits.startsWith("0x") || digits.startsWith("0X")
                    ? Integer.parseInt(digits.substring(2), 16) : Integer.parseInt(digits);
            cond = line.condition();
        } else if (symbols.containsKey(value)) {
            Symbol alias = symbols.get(value);
            number = alias.number();
            cond = Conditions.and(line.condition(), alias.condition());
        }
        if (number == null || Conditions.isFalse(cond)) {
            return null;
        }
        return new Symbol(name, number, cond, line.pos());
    }

    /** The number of {@code vector}; an error at {@code line} when it is no symbol read. */
    int number(SourceFile.Line line, String vector) throws ImportException {
        Symbol s = symbols.get(vector);
        if (s == null) {
            throw new ImportException(line.file(), line.number(), "vector " + vector + " is not defined in "
                    + KernelImporter.TRAPNR_H + " or " + KernelImporter.IRQ_VECTORS_H);
        }
        return s.number();
    }
}
