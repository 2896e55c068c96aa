package dev.idtgen.asm;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where Keystone and GNU as encode the same AT&amp;T statement differently, and
 * the one place the port bridges it: a listing is rewritten, statement by
 * statement, into one Keystone encodes to GNU as's bytes, before it reaches
 * {@code ks_asm}. Nothing here knows a stub; each rule is about an
 * instruction form, and each has a case in {@code AssemblerContractTest}
 * that both backends must pass with GNU as's bytes.
 *
 * <p>The differences (measured with ../shared/keystone's library, Keystone
 * 0.9 on LLVM r260005, against GNU as 2.40) and what is done about them:
 * <ol>
 * <li><b>No {@code endbr64}/{@code endbr32}</b> (LLVM predates CET): written
 *     as their bytes, {@code f3 0f 1e fa} / {@code f3 0f 1e fb}.</li>
 * <li><b>Branches to outside symbols and absolute addresses are relaxed</b>:
 *     Keystone encodes {@code jmp sym} or {@code jz 0x1000} short when the
 *     target is in rel8 range; GNU as leaves a rel32 relocation against an
 *     undefined (global) symbol or an absolute address, so the branch is always
 *     rel32. Such a {@code jmp}/{@code jcc} is written as its rel32 opcode
 *     followed by {@code .long target - . - 4}, which Keystone resolves at the
 *     final address through the symbol resolver. An absolute number becomes
 *     a symbol of its own for that (Keystone folds {@code .long 0x1000 - .}
 *     wrongly: as if {@code .} were 0). Where every statement before the
 *     branch has a size known here (directives, and the bytes written here,
 *     as in an irq stub: {@code .byte 0x6a, N}, then the {@code jmp}), the
 *     rel32 is computed here and the branch is its opcode and a constant .long: no resolver call
 *     (a JNA callback each). A target out of rel32 range is an error here, as
 *     it is for ld. Branches to the listing's own labels are left alone: both
 *     assemblers relax them the same way. {@code call} has no short form and
 *     needs nothing.</li>
 * <li><b>{@code movw %r16, %sreg} gets a {@code 66} prefix</b> from Keystone
 *     ({@code 66 8e d8}); GNU as drops it ({@code 8e d8}), the form
 *     {@code movl %r32, %sreg} has in both, which is what it is written as.</li>
 * <li><b>{@code bound}'s operands are reversed</b> in Keystone's AT&amp;T
 *     parser ({@code bound (%ebx),%eax}); they are swapped.</li>
 * <li><b>A bare absolute memory operand in 64-bit mode is made
 *     RIP-relative</b> by Keystone ({@code movq 0x28,%rax}: {@code 48 8b 05
 *     ...}); GNU as encodes it absolute with a SIB byte ({@code 48 8b 04 25
 *     28 00 00 00}). Written {@code %ds:0x28}, Keystone picks the absolute
 *     form and, the segment being the default one, emits no prefix.</li>
 * </ol>
 * Not bridged, because the port's contract excludes it: Intel syntax
 * (Keystone's {@code push word 0x1234} gives {@code 68 34 12 00 00}); the
 * port is AT&amp;T only.
 *
 * <p>{@link KeystoneRewriting} applies these rules to the statements of one
 * listing; this class splits a listing into statements and holds the text
 * helpers (operands, constants, labels) both use.
 */
final class KeystoneDialect {

    /**
     * A listing as Keystone gets it, and the symbols it adds for absolute branch targets (the resolver answers
     * these over the caller's: {@link Symbols#overlay}).
     */
    record Rewritten(String listing, Map<String, Long> absolute) {
    }

    /** A decimal or hexadecimal number. */
    static final String NUMBER = "(?:0[xX][0-9a-fA-F]+|\\d+)";
    /** The location counter in an expression ({@code .} not part of a name or a number). */
    static final Pattern LOCATION = Pattern.compile("(?<![\\w.$])\\.(?![\\w.$])");
    /** A constant expression: numbers joined by + - * (what a bare absolute operand is made of). */
    static final Pattern CONSTANT = Pattern.compile("[-+]?\\s*" + NUMBER + "(?:\\s*[-+*]\\s*" + NUMBER + ")*");

    private KeystoneDialect() {
    }

    /**
     * Rewrites a listing for Keystone. {@code address} is where it starts (for the rel32 range check); an
     * outside symbol a branch uses and {@code symbols} lacks is an error naming it.
     */
    static Rewritten rewrite(String listing, long address, Map<String, Long> symbols, Mode mode)
            throws AsmException {
        KeystoneRewriting c = new KeystoneRewriting(listing, address, symbols, mode);
        StringBuilder out = new StringBuilder(listing.length() + 64);
        int from = 0;
        while (from <= listing.length()) {
            int end = from;
            while (end < listing.length() && listing.charAt(end) != '\n' && listing.charAt(end) != ';') {
                end++;
            }
            String st = listing.substring(from, end);
            int label = labelEnd(st);
            if (label > 0) {
                out.append(st, 0, label);
                st = st.substring(label);
            }
            out.append(c.statement(st));
            if (end < listing.length()) {
                out.append(listing.charAt(end));
            }
            from = end + 1;
        }
        return new Rewritten(out.toString(), c.absolute());
    }

    /** The end of a leading {@code label:} (0 when there is none). */
    private static int labelEnd(String st) {
        long w = firstWord(st);
        int start = (int) (w >>> 32);
        int end = (int) w;
        return end > start && end < st.length() && st.charAt(end) == ':' ? end + 1 : 0;
    }

    /** Where the first word of a statement starts (high half) and ends (low half), after its indentation. */
    static long firstWord(String st) {
        int i = 0;
        while (i < st.length() && Character.isWhitespace(st.charAt(i))) {
            i++;
        }
        int w = i;
        while (i < st.length() && isWordChar(st.charAt(i))) {
            i++;
        }
        return ((long) w << 32) | i;
    }

    /** A character of a name or a number in a listing. */
    static boolean isWordChar(char ch) {
        return Character.isLetterOrDigit(ch) || ch == '_' || ch == '.' || ch == '$';
    }

    /** The labels a listing defines ({@code name:}, {@code 1:}). */
    static Set<String> labels(String listing) {
        Set<String> out = new HashSet<>();
        for (String st : listing.split("[\n;]")) {
            int e = labelEnd(st);
            if (e > 0) {
                out.add(st.substring(0, e - 1).strip());
            }
        }
        return out;
    }

    /** The operands of a statement, split at the commas outside parentheses, each stripped. */
    static List<String> operands(String args) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < args.length(); i++) {
            char c = args.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                out.add(args.substring(start, i).strip());
                start = i + 1;
            }
        }
        String last = args.substring(start).strip();
        if (!last.isEmpty() || !out.isEmpty()) {
            out.add(last);
        }
        return out;
    }

    /** A constant expression of numbers joined by + - * ({@code *} binds tighter), as a 64-bit value. */
    static long evaluate(String expr) {
        Matcher t = Pattern.compile("\\s*([-+*])?\\s*(" + NUMBER + ")").matcher(expr);
        long sum = 0;
        long term = 0;
        int end = 0;
        while (t.lookingAt()) {
            String n = t.group(2);
            long v = n.startsWith("0x") || n.startsWith("0X") ? Long.parseUnsignedLong(n.substring(2), 16)
                    : Long.parseLong(n);
            String op = t.group(1);
            if ("*".equals(op)) {
                term *= v;
            } else {
                sum += term;
                term = "-".equals(op) ? -v : v;
            }
            end = t.end();
            t.region(end, expr.length());
        }
        if (!expr.substring(end).isBlank()) {
            throw new IllegalArgumentException("not a constant expression: " + expr);
        }
        return sum + term;
    }
}
