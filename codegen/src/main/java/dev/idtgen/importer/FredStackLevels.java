package dev.idtgen.importer;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.idtgen.importer.FredRoutes.error;

/**
 * The FRED stack levels of {@code kernel/fred.c}: the
 * {@code FRED_STKLVL(VECTOR, LEVEL)} terms of the MSR_IA32_FRED_STKLVLS
 * write, LEVEL a number or a {@code FRED_*_STACK_LEVEL} macro of the file;
 * each is the stack level of the routed entry of VECTOR.
 */
final class FredStackLevels {

    private static final String WHERE = "MSR_IA32_FRED_STKLVLS";
    private static final Pattern LEVEL_MACRO = Pattern.compile("(FRED_\\w*STACK_LEVEL)\\b\\s*(.*)");
    private static final Pattern STKLVL_USE = Pattern.compile("\\bFRED_STKLVL\\s*\\(");
    private static final Pattern STKLVL = Pattern.compile("\\bFRED_STKLVL\\s*\\(\\s*(\\w+)\\s*,\\s*(\\w+)\\s*\\)");
    private static final Pattern NUMBER = Pattern.compile("(0[xX][0-9a-fA-F]+|[0-9]+)[uUlL]*");

    private final FredRoutes routes;
    /** The FRED_*_STACK_LEVEL macros defined so far, with their numbers. */
    private final Map<String, Integer> levels = new HashMap<>();

    FredStackLevels(FredRoutes routes) {
        this.routes = routes;
    }

    void read(Path file) throws ImportException {
        for (SourceFile.Line l : SourceFile.read(file)) {
            if ("define".equals(l.directive())) {
                levelMacro(l);
                continue;
            }
            if (l.directive() != null) {
                continue;
            }
            int uses = (int) STKLVL_USE.matcher(l.text()).results().count();
            List<MatchResult> terms = STKLVL.matcher(l.text()).results().toList();
            if (terms.size() != uses) {
                throw error(l, WHERE, "a FRED_STKLVL() the importer does not read: '" + l.text()
                        + "' (expected FRED_STKLVL(VECTOR, LEVEL))");
            }
            for (MatchResult t : terms) {
                stackLevel(l, t.group(1), t.group(2));
            }
        }
    }

    /** Takes note of {@code #define FRED_*_STACK_LEVEL N}. */
    private void levelMacro(SourceFile.Line l) throws ImportException {
        Matcher m = LEVEL_MACRO.matcher(l.argument());
        if (m.matches()) {
            Matcher n = NUMBER.matcher(m.group(2).strip());
            if (!n.matches()) {
                throw error(l, WHERE, "'#define " + l.argument() + "' is not a number");
            }
            levels.put(m.group(1), Integer.decode(n.group(1)));
        }
    }

    private void stackLevel(SourceFile.Line l, String vector, String level) throws ImportException {
        Matcher n = NUMBER.matcher(level);
        Integer value = n.matches() ? Integer.decode(n.group(1)) : levels.get(level);
        if (value == null) {
            throw error(l, WHERE, level + " is neither a number nor a FRED_*_STACK_LEVEL of this file");
        }
        if (value < 0 || value > 3) {
            throw error(l, WHERE, vector + ": a FRED stack level is 0 to 3, not " + value);
        }
        routes.stackLevel(l, vector, value);
    }
}
