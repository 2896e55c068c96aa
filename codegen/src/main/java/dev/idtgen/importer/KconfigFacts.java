package dev.idtgen.importer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the {@code depends on} lines of some Kconfig files guarantee: for a
 * symbol S, the symbols that are enabled whenever S is. Only plain
 * dependencies count: a conjunct that is a bare symbol T guarantees T and
 * everything T guarantees; {@code A || B} guarantees what every
 * alternative guarantees; anything with {@code !}, {@code =}, comparisons
 * or strings guarantees nothing. {@code if} blocks, menus and
 * {@code select} are not read, so the result is a subset of the truth.
 * Symbols are named with their {@code CONFIG_} prefix.
 */
final class KconfigFacts {

    private static final Pattern CONFIG = Pattern.compile("(?:menu)?config\\s+([A-Za-z0-9_]+)\\s*");
    private static final Pattern TOP_LEVEL = Pattern.compile(
            "(?:config|menuconfig|choice|endchoice|menu|endmenu|if|endif|comment|source|mainmenu)\\b.*");
    private static final Pattern DEPENDS = Pattern.compile("depends\\s+on\\s+(.*)");
    private static final Pattern SYMBOL = Pattern.compile("[A-Za-z0-9_]+");

    /** Per symbol, the depends expressions of each of its definitions. */
    private final Map<String, List<List<String>>> depends = new HashMap<>();
    private final Map<String, Set<String>> memo = new HashMap<>();
    private final Set<String> busy = new HashSet<>();

    private KconfigFacts() {
    }

    /** Reads the {@code config} entries of {@code files}. */
    static KconfigFacts read(List<Path> files) throws ImportException {
        KconfigFacts k = new KconfigFacts();
        for (Path f : files) {
            k.parse(f);
        }
        return k;
    }

    private void parse(Path file) throws ImportException {
        List<String> lines = SourceFile.physicalLines(file);
        List<String> current = null;
        boolean help = false;
        for (int i = 0; i < lines.size(); i++) {
            StringBuilder b = new StringBuilder(lines.get(i));
            i = SourceFile.joinContinuations(lines, i, b);
            String raw = b.toString();
            String line = raw.strip();
            boolean indented = !raw.isEmpty() && Character.isWhitespace(raw.charAt(0));
            if (!indented && TOP_LEVEL.matcher(line).matches()) {
                help = false;
                Matcher m = CONFIG.matcher(line);
                current = null;
                if (m.matches()) {
                    current = new ArrayList<>();
                    depends.computeIfAbsent("CONFIG_" + m.group(1), s -> new ArrayList<>()).add(current);
                }
                continue;
            }
            if (help || current == null) {
                continue;
            }
            if (line.equals("help") || line.equals("---help---")) {
                help = true;
                continue;
            }
            Matcher d = DEPENDS.matcher(line);
            if (d.matches()) {
                String expr = d.group(1);
                int hash = expr.indexOf('#');
                current.add((hash < 0 ? expr : expr.substring(0, hash)).strip());
            }
        }
    }

    /**
     * The symbols enabled whenever {@code symbol} is: its direct dependencies
     * first, in the order of its {@code depends on} lines, then theirs.
     */
    Set<String> guarantees(String symbol) {
        Set<String> known = memo.get(symbol);
        if (known != null) {
            return known;
        }
        List<List<String>> defs = depends.get(symbol);
        if (defs == null || !busy.add(symbol)) {
            return Set.of();
        }
        Set<String> out = null;
        for (List<String> def : defs) {
            Set<String> direct = new LinkedHashSet<>();
            for (String expr : def) {
                direct.addAll(expression(expr));
            }
            Set<String> all = new LinkedHashSet<>();
            for (String d : direct) {
                all.add(d);
            }
            for (String d : direct) {
                all.addAll(guarantees(d));
            }
            all.remove(symbol);
            // several definitions: the symbol can be enabled through any of them
            if (out == null) {
                out = all;
            } else {
                out.retainAll(all);
            }
        }
        busy.remove(symbol);
        Set<String> result = out == null ? Set.of() : java.util.Collections.unmodifiableSet(out);
        memo.put(symbol, result);
        return result;
    }

    /** What one dependency expression guarantees directly (without closing over the symbols it names). */
    private Set<String> expression(String expr) {
        String e = expr.strip();
        List<String> ands = split(e, "&&");
        if (ands.size() > 1) {
            Set<String> out = new LinkedHashSet<>();
            ands.forEach(a -> out.addAll(expression(a)));
            return out;
        }
        List<String> ors = split(e, "||");
        if (ors.size() > 1) {
            Set<String> out = null;
            for (String alt : ors) {
                Set<String> s = new LinkedHashSet<>(expression(alt));
                for (String sym : List.copyOf(s)) {
                    s.addAll(guarantees(sym));
                }
                if (out == null) {
                    out = s;
                } else {
                    out.retainAll(s);
                }
            }
            return out;
        }
        if (e.startsWith("(") && enclosed(e)) {
            return expression(e.substring(1, e.length() - 1));
        }
        if (SYMBOL.matcher(e).matches() && !e.equals("y") && !e.equals("m") && !e.equals("n")) {
            Set<String> one = new LinkedHashSet<>();
            one.add("CONFIG_" + e);
            return one;
        }
        return Set.of();
    }

    /** True when the opening parenthesis at 0 closes at the very end. */
    private static boolean enclosed(String e) {
        int depth = 0;
        for (int i = 0; i < e.length(); i++) {
            char c = e.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i == e.length() - 1;
            }
        }
        return false;
    }

    /** Splits at {@code op} outside parentheses. */
    private static List<String> split(String e, String op) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < e.length(); i++) {
            char c = e.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (depth == 0 && e.startsWith(op, i)) {
                out.add(e.substring(start, i));
                start = i + op.length();
                i += op.length() - 1;
            }
        }
        out.add(e.substring(start));
        return out;
    }
}
