package dev.idtgen.importer;

import dev.idtgen.model.Condition;
import dev.idtgen.model.Pos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The logical lines of a C (or preprocessed assembly) file: comments
 * removed, backslash continuations joined, each line with the
 * {@code #if}/{@code #ifdef}/{@code #ifndef}/{@code #elif}/{@code #else}
 * nesting it sits in. This is no C parser: callers match the lines they
 * know with regular expressions.
 */
final class SourceFile {

    /** One branch of one {@code #if} block: {@code frame} numbers the blocks of the file in order. */
    record Branch(int frame, int index) {
    }

    /**
     * One logical line.
     *
     * @param file      the file it is read from
     * @param number    the 1-based number of its first physical line
     * @param text      the line without comments, stripped
     * @param directive the directive name of a {@code #} line ("define", "ifdef", ...), else null
     * @param argument  the rest of a directive line, stripped
     * @param guard     the meaning of the enclosing {@code #if} branches for the table
     * @param branches  the enclosing {@code #if} branches, outermost first
     */
    record Line(Path file, int number, String text, String directive, String argument, IfExpression guard,
                List<Branch> branches) {

        /** The Kconfig condition under which this line is compiled (architecture symbols included). */
        Condition condition() throws ImportException {
            if (guard.isOpaque()) {
                throw new ImportException(file, number, "cannot import this line: an enclosing " + guard.opaque());
            }
            return guard.isNeutral() ? Condition.ALWAYS : guard.condition();
        }

        /** The innermost enclosing branch, or null at the top level. */
        Branch innermost() {
            return branches.isEmpty() ? null : branches.get(branches.size() - 1);
        }

        /** Where the line is, for the table's positions (column 1). */
        Pos pos() {
            return new Pos(file.toString(), number, 1);
        }
    }

    private static final Pattern DIRECTIVE = Pattern.compile("#\\s*([A-Za-z_]+)\\s*(.*)");
    /** The argument of a {@code #define}: the name, {@code (} when function-like, and the rest. */
    static final Pattern DEFINE = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)(\\()?\\s*(.*)");
    /** A C identifier. */
    static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private SourceFile() {
    }

    /** Reads {@code file} into its logical lines. */
    static List<Line> read(Path file) throws ImportException {
        List<String> physical = physicalLines(file);
        List<Line> out = new ArrayList<>();
        Nesting nesting = new Nesting(file);
        boolean inComment = false;
        for (int i = 0; i < physical.size(); i++) {
            int first = i + 1;
            StringBuilder joined = new StringBuilder(physical.get(i));
            i = joinContinuations(physical, i, joined);
            StringBuilder code = new StringBuilder();
            inComment = stripComments(joined.toString(), inComment, code);
            String text = code.toString().strip();
            String directive = null;
            String argument = null;
            Matcher m = DIRECTIVE.matcher(text);
            if (m.matches()) {
                directive = m.group(1);
                argument = m.group(2).strip();
                nesting.directive(first, directive, argument);
            }
            out.add(new Line(file, first, text, directive, argument, nesting.guard(), nesting.branches()));
        }
        nesting.requireClosed();
        return out;
    }

    /**
     * The physical lines of a source file (ISO-8859-1: kernel sources are ASCII with the odd Latin-1 name); an
     * {@link ImportException} when it cannot be read.
     */
    static List<String> physicalLines(Path file) throws ImportException {
        try {
            return Files.readAllLines(file, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new ImportException(file, 0, "no such file (is this a Linux kernel tree?)");
        } catch (IOException e) {
            throw new ImportException(file, 0, "cannot read: " + e.getMessage());
        }
    }

    /** The C files below {@code root}, sorted; an {@link ImportException} when it cannot be listed. */
    static List<Path> cFiles(Path root, FileVisitOption... options) throws ImportException {
        try (Stream<Path> files = Files.walk(root, options)) {
            return files.filter(p -> p.toString().endsWith(".c")).sorted().toList();
        } catch (IOException | UncheckedIOException e) {
            throw new ImportException(root, 0, "cannot list the C files: " + e.getMessage());
        }
    }

    /**
     * Appends to {@code joined} (line {@code i} of {@code physical}) the lines its backslash continues into, each
     * after a space in place of the backslash; returns the index of the last line taken.
     */
    static int joinContinuations(List<String> physical, int i, StringBuilder joined) {
        while (joined.length() > 0 && joined.charAt(joined.length() - 1) == '\\' && i + 1 < physical.size()) {
            joined.setLength(joined.length() - 1);
            joined.append(' ').append(physical.get(++i));
        }
        return i;
    }

    /** The {@code #if} blocks open at a line of one file. */
    private static final class Nesting {
        private final Path file;
        private final Deque<Frame> stack = new ArrayDeque<>();
        private int frames;

        Nesting(Path file) {
            this.file = file;
        }

        /** Follows a directive at line {@code line}: opens, continues or closes a block. */
        void directive(int line, String directive, String argument) throws ImportException {
            switch (directive) {
                case "if" -> stack.push(new Frame(frames++, line, IfExpression.parse(argument)));
                case "ifdef", "ifndef" -> {
                    IfExpression e = IfExpression.parse("defined(" + argument + ")");
                    stack.push(new Frame(frames++, line, directive.equals("ifdef") ? e : e.not()));
                }
                case "elif", "else" -> {
                    if (stack.isEmpty() || stack.peek().sawElse) {
                        throw new ImportException(file, line, "#" + directive + " without a matching #if");
                    }
                    stack.peek().next(directive.equals("else") ? null : IfExpression.parse(argument));
                }
                case "endif" -> {
                    if (stack.isEmpty()) {
                        throw new ImportException(file, line, "#endif without a matching #if");
                    }
                    stack.pop();
                }
                default -> {
                    // #define, #undef, #include, #error, ...: reported to the caller as they are
                }
            }
        }

        /** The meaning of the enclosing branches: each block's current branch, outermost first. */
        IfExpression guard() {
            IfExpression guard = IfExpression.NEUTRAL;
            for (java.util.Iterator<Frame> it = stack.descendingIterator(); it.hasNext(); ) {
                guard = guard.and(it.next().current());
            }
            return guard;
        }

        /** The enclosing branches, outermost first. */
        List<Branch> branches() {
            List<Branch> branches = new ArrayList<>();
            for (java.util.Iterator<Frame> it = stack.descendingIterator(); it.hasNext(); ) {
                Frame f = it.next();
                branches.add(new Branch(f.id, f.branches.size() - 1));
            }
            return List.copyOf(branches);
        }

        /** At the end of the file: an error for a block left open. */
        void requireClosed() throws ImportException {
            if (!stack.isEmpty()) {
                throw new ImportException(file, stack.peek().line, "#if without #endif");
            }
        }
    }

    /** Appends the code of {@code line} outside comments to {@code out}; returns whether a block comment is open at its end. */
    private static boolean stripComments(String line, boolean inComment, StringBuilder out) {
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            char n = i + 1 < line.length() ? line.charAt(i + 1) : 0;
            if (inComment) {
                if (c == '*' && n == '/') {
                    inComment = false;
                    i++;
                    out.append(' ');
                }
            } else if (quote != 0) {
                out.append(c);
                if (c == '\\' && n != 0) {
                    out.append(n);
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '/' && n == '*') {
                inComment = true;
                i++;
            } else if (c == '/' && n == '/') {
                break;
            } else {
                if (c == '"' || c == '\'') {
                    quote = c;
                }
                out.append(c);
            }
        }
        return inComment;
    }

    /** An open {@code #if} block: the expression of each branch so far (null for {@code #else}). */
    private static final class Frame {
        final int id;
        final int line;
        final List<IfExpression> branches = new ArrayList<>();
        boolean sawElse;

        Frame(int id, int line, IfExpression first) {
            this.id = id;
            this.line = line;
            branches.add(first);
        }

        void next(IfExpression e) {
            sawElse = e == null;
            branches.add(e);
        }

        /** The guard of the current branch: every earlier branch false, this one true. */
        IfExpression current() {
            IfExpression g = IfExpression.NEUTRAL;
            for (int i = 0; i < branches.size() - 1; i++) {
                g = g.and(branches.get(i).not());
            }
            IfExpression last = branches.get(branches.size() - 1);
            return last == null ? g : g.and(last);
        }
    }
}
