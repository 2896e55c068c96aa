package dev.idtgen.importer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The dispatchers of {@code arch/x86/entry/entry_fred.c} as the importer
 * reads them: a function's body, and the cases of its switch over
 * {@code regs->fred_ss.vector} or {@code regs->fred_ss.type}. Every line of
 * such a function is one of the statement forms below, or the import fails
 * at that line: nothing is skipped, except the body of {@code default:}
 * (the events no case names, none of them an entry's route).
 */
final class FredSource {

    /**
     * One case of a switch, or a fast path ahead of it ({@code value} the tested vector).
     *
     * @param label      the line of the case label (of the test, for a fast path)
     * @param value      the case label: a vector symbol or number, or an EVENT_TYPE_*
     * @param testVector the vector of an {@code if (likely(regs->fred_ss.vector == V))} before the call, or null
     * @param test       the line of that test, or null
     * @param guard      the function of an {@code if (guard())} before the call, or null
     * @param call       the line of the call
     * @param fn         the called function
     * @param args       its arguments as written
     */
    record Case(SourceFile.Line label, String value, String testVector, SourceFile.Line test, String guard,
                SourceFile.Line call, String fn, String args) {
    }

    /** A dispatcher: the fast paths ahead of its switch (fred_hwexc's #PF) and the cases of the switch. */
    record Dispatch(List<Case> fastPaths, List<Case> cases) {
    }

    /** A function definition: the line that names it, and the lines between its braces. */
    record Function(SourceFile.Line definition, List<SourceFile.Line> body) {
    }

    private static final Pattern SWITCH = Pattern.compile("switch\\s*\\(\\s*regs->fred_ss\\.(\\w+)\\s*\\)\\s*\\{");
    private static final Pattern CASE = Pattern.compile("case\\s+(\\w+)\\s*:(?!:)\\s*(.*)");
    private static final Pattern DEFAULT = Pattern.compile("default\\s*:\\s*(.*)");
    private static final Pattern TEST = Pattern.compile(
            "if\\s*\\(\\s*likely\\s*\\(\\s*regs->fred_ss\\.vector\\s*==\\s*(\\w+)\\s*\\)\\s*\\)\\s*(.*)");
    private static final Pattern GUARD = Pattern.compile("if\\s*\\(\\s*(\\w+)\\s*\\(\\s*\\)\\s*\\)\\s*(.*)");
    private static final Pattern RETURN = Pattern.compile("return\\s+(\\w+)\\s*\\(([^;]*)\\)\\s*;");
    private static final Pattern FALLTHROUGH = Pattern.compile("fallthrough\\s*;");
    private static final Pattern BREAK = Pattern.compile("break\\s*;");
    /** Plumbing outside the switch: {@code unsigned long error_code = regs->orig_ax;}, no call in it. */
    private static final Pattern ASSIGNMENT = Pattern.compile("[^(){};=]+[-+|&^]?=[^=(){};][^(){};]*;");
    private static final Pattern LITERAL = Pattern.compile("\"(?:\\\\.|[^\"\\\\])*\"|'(?:\\\\.|[^'\\\\])*'");

    private FredSource() {
    }

    /**
     * The definition of {@code void name(...)} in {@code lines} (of {@code file}), or null when there
     * is none and it is not {@code required}.
     */
    static Function function(Path file, List<SourceFile.Line> lines, String name, boolean required)
            throws ImportException {
        Pattern def = Pattern.compile("(?:[\\w\\s]+\\s)?void\\s+" + Pattern.quote(name) + "\\s*\\([^;{}]*\\)\\s*(\\{)?");
        for (int i = 0; i < lines.size(); i++) {
            SourceFile.Line l = lines.get(i);
            if (l.directive() != null || !def.matcher(l.text()).matches()) {
                continue;
            }
            int open = l.text().endsWith("{") ? i : i + 1;
            if (open >= lines.size() || !lines.get(open).text().equals("{") && open != i) {
                throw new ImportException(l.file(), l.number(), name + "(): expected its body's '{' on the next line");
            }
            int depth = 0;
            for (int k = open; k < lines.size(); k++) {
                String code = LITERAL.matcher(lines.get(k).text()).replaceAll("\"\"");
                depth += code.chars().filter(c -> c == '{').count() - code.chars().filter(c -> c == '}').count();
                if (depth == 0) {
                    if (!lines.get(k).text().equals("}")) {
                        throw new ImportException(l.file(), lines.get(k).number(), name
                                + "(): expected its closing '}' alone on a line");
                    }
                    return new Function(l, lines.subList(open + 1, k));
                }
            }
            throw new ImportException(l.file(), l.number(), name + "(): its body has no closing '}'");
        }
        if (required) {
            throw new ImportException(file, 0, "no function " + name
                    + "(): the FRED dispatch the importer reads");
        }
        return null;
    }

    /**
     * The fast paths and the cases of the switch over {@code regs->fred_ss.<subject>} of function
     * {@code name}; null when there is no such function and it is not {@code required}.
     */
    static Dispatch dispatch(Path file, List<SourceFile.Line> lines, String name, String subject, boolean required)
            throws ImportException {
        Function f = function(file, lines, name, required);
        if (f == null) {
            return null;
        }
        Reader r = new Reader(name, subject);
        for (SourceFile.Line l : f.body()) {
            if (l.directive() == null && !l.text().isEmpty()) {
                r.statement(l, l.text());
            }
        }
        r.finish(f.definition());
        return new Dispatch(List.copyOf(r.fast), List.copyOf(r.cases));
    }

    /** Reads one dispatcher's statements, in order. */
    private static final class Reader {

        private enum Where { BEFORE, SWITCH, CASE, DEFAULT, AFTER }

        private final String function;
        private final String subject;
        private final List<Case> fast = new ArrayList<>();
        private final List<Case> cases = new ArrayList<>();
        private Where where = Where.BEFORE;
        // the case being read (labels stacked without a statement share its call)
        private final List<SourceFile.Line> labels = new ArrayList<>();
        private final List<String> values = new ArrayList<>();
        private SourceFile.Line test;
        private String testVector;
        private String guard;
        private SourceFile.Line call;
        private String fn;
        private String args;
        private String end;

        Reader(String function, String subject) {
            this.function = function;
            this.subject = subject;
        }

        void statement(SourceFile.Line l, String t) throws ImportException {
            Matcher m;
            if ((m = SWITCH.matcher(t)).matches()) {
                if (where != Where.BEFORE || test != null) {
                    throw unknown(l, t);
                }
                if (!m.group(1).equals(subject)) {
                    throw error(l, "switches on regs->fred_ss." + m.group(1) + ", not on regs->fred_ss." + subject);
                }
                where = Where.SWITCH;
            } else if ((m = CASE.matcher(t)).matches()) {
                label(l, m.group(1));
                rest(l, m.group(2));
            } else if ((m = DEFAULT.matcher(t)).matches()) {
                label(l, null);
                rest(l, m.group(1));
            } else if (t.equals("}") && where.compareTo(Where.SWITCH) >= 0 && where != Where.AFTER) {
                closeCase();
                where = Where.AFTER;
            } else if (where == Where.DEFAULT) {
                // the events no case names (fred_bad_type, INT n as #GP): no entry's route
                if (t.contains("{") || t.contains("}")) {
                    throw unknown(l, t);
                }
            } else if ((m = TEST.matcher(t)).matches()) {
                if (where != Where.BEFORE && (where != Where.CASE || call != null) || test != null || guard != null) {
                    throw unknown(l, t);
                }
                test = l;
                testVector = m.group(1);
                rest(l, m.group(2));
            } else if ((m = GUARD.matcher(t)).matches()) {
                if (where != Where.CASE || call != null || test != null || guard != null) {
                    throw unknown(l, t);
                }
                guard = m.group(1);
                rest(l, m.group(2));
            } else if ((m = RETURN.matcher(t)).matches()) {
                call(l, t, m.group(1), m.group(2).strip());
            } else if (FALLTHROUGH.matcher(t).matches()) {
                if (where != Where.CASE || guard == null || call == null || end != null) {
                    throw unknown(l, t);
                }
                end = "fallthrough";
            } else if (BREAK.matcher(t).matches()) {
                if (where != Where.CASE || test == null || call == null || end != null) {
                    throw unknown(l, t);
                }
                end = "break";
            } else if ((where == Where.BEFORE || where == Where.AFTER) && test == null
                    && ASSIGNMENT.matcher(t).matches()) {
                // plumbing: unsigned long error_code = regs->orig_ax; regs->orig_ax = -1;
            } else {
                throw unknown(l, t);
            }
        }

        private void rest(SourceFile.Line l, String rest) throws ImportException {
            if (!rest.isBlank()) {
                statement(l, rest.strip());
            }
        }

        private void label(SourceFile.Line l, String value) throws ImportException {
            if (where == Where.BEFORE || where == Where.AFTER) {
                throw error(l, (value == null ? "default" : "case " + value) + " outside the switch");
            }
            boolean stacked = where == Where.CASE && call == null && test == null && guard == null;
            if (value == null || !stacked) {
                closeCase();
            }
            if (value == null) {
                where = Where.DEFAULT;
                return;
            }
            where = Where.CASE;
            labels.add(l);
            values.add(value);
        }

        private void call(SourceFile.Line l, String t, String name, String arguments) throws ImportException {
            switch (where) {
                case BEFORE -> {
                    if (test == null) {
                        throw unknown(l, t);
                    }
                    fast.add(new Case(test, testVector, testVector, test, null, l, name, arguments));
                    test = null;
                    testVector = null;
                }
                case AFTER -> {
                    if (!name.equals("fred_bad_type")) {
                        throw error(l, "calls " + name + "() after its switch: only the fred_bad_type() fallback"
                                + " is read there");
                    }
                }
                case CASE -> {
                    if (call != null) {
                        throw error(l, "a second call in case " + values.get(0) + ": '" + t + "'");
                    }
                    call = l;
                    fn = name;
                    args = arguments;
                }
                default -> throw unknown(l, t);
            }
        }

        private void closeCase() throws ImportException {
            if (where != Where.CASE) {
                return;
            }
            SourceFile.Line first = labels.get(0);
            if (call == null) {
                throw error(first, "case " + values.get(0) + " has no 'return handler(regs...);'");
            }
            if (guard != null && !"fallthrough".equals(end)) {
                throw error(call, "case " + values.get(0) + ": a guarded call (if (" + guard
                        + "())) is read only when 'fallthrough;' follows it");
            }
            if (test != null && !"break".equals(end)) {
                throw error(call, "case " + values.get(0) + ": a tested call (regs->fred_ss.vector == "
                        + testVector + ") is read only when 'break;' follows it");
            }
            for (int i = 0; i < labels.size(); i++) {
                cases.add(new Case(labels.get(i), values.get(i), testVector, test, guard, call, fn, args));
            }
            labels.clear();
            values.clear();
            test = null;
            testVector = null;
            guard = null;
            call = null;
            fn = null;
            args = null;
            end = null;
        }

        void finish(SourceFile.Line definition) throws ImportException {
            if (where != Where.AFTER) {
                throw error(definition, "no complete switch (regs->fred_ss." + subject + ") in its body");
            }
            if (test != null) {
                throw unknown(test, test.text());
            }
        }

        private ImportException unknown(SourceFile.Line l, String t) {
            return error(l, "a statement the importer does not read: '" + t + "'");
        }

        private ImportException error(SourceFile.Line l, String message) {
            return new ImportException(l.file(), l.number(), function + "(): " + message);
        }
    }
}
