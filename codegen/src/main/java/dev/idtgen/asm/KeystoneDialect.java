package dev.idtgen.asm;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
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
 */
final class KeystoneDialect {

    /**
     * A listing as Keystone gets it, and the symbols it adds for absolute branch targets (the resolver answers
     * these over the caller's: {@link Symbols#overlay}).
     */
    record Rewritten(String listing, Map<String, Long> absolute) {
    }

    /** The condition codes of {@code jcc}, with the second opcode byte of the rel32 form ({@code 0f 8x}). */
    private static final Map<String, Integer> JCC = new HashMap<>();

    static {
        String[][] cc = {{"o"}, {"no"}, {"b", "c", "nae"}, {"ae", "nb", "nc"}, {"e", "z"}, {"ne", "nz"},
            {"be", "na"}, {"a", "nbe"}, {"s"}, {"ns"}, {"p", "pe"}, {"np", "po"}, {"l", "nge"}, {"ge", "nl"},
            {"le", "ng"}, {"g", "nle"}};
        for (int i = 0; i < cc.length; i++) {
            for (String c : cc[i]) {
                JCC.put("j" + c, 0x80 + i);
            }
        }
    }

    private static final String NUMBER = "(?:0[xX][0-9a-fA-F]+|\\d+)";
    /** The location counter in an expression ({@code .} not part of a name or a number). */
    static final Pattern LOCATION = Pattern.compile("(?<![\\w.$])\\.(?![\\w.$])");
    /** A constant offset after a branch target's symbol ({@code +8}, {@code - 0x10}). */
    private static final Pattern OFFSET = Pattern.compile("(?:\\s*[-+]\\s*" + NUMBER + ")+\\s*");
    /** A constant expression: numbers joined by + - * (what a bare absolute operand is made of). */
    private static final Pattern CONSTANT = Pattern.compile("[-+]?\\s*" + NUMBER + "(?:\\s*[-+*]\\s*" + NUMBER + ")*");
    private static final Pattern NUMERIC_LABEL_REF = Pattern.compile("\\d+[fb]");
    private static final Pattern REG16 = Pattern.compile("%(ax|bx|cx|dx|si|di|bp|sp|r(?:8|9|1[0-5])w)");
    private static final Pattern SREG = Pattern.compile("%(cs|ds|es|fs|gs|ss)");
    /** Keep a rel32 target this far inside the range: the listing's own length, with room to spare. */
    private static final long REL32_MARGIN = 1L << 20;
    private static final String ABS_PREFIX = "__idtgen_abs_";
    /** "0x00" to "0xff" (String.format per byte costs more than the rest of a stub's rewriting). */
    private static final String[] BYTE = new String[256];

    static {
        for (int i = 0; i < 256; i++) {
            BYTE[i] = (i < 16 ? "0x0" : "0x") + Integer.toHexString(i);
        }
    }

    private KeystoneDialect() {
    }

    /**
     * Rewrites a listing for Keystone. {@code address} is where it starts (for the rel32 range check); an
     * outside symbol a branch uses and {@code symbols} lacks is an error naming it.
     */
    static Rewritten rewrite(String listing, long address, Map<String, Long> symbols, Mode mode)
            throws AsmException {
        Context c = new Context(listing, address, symbols, mode);
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
        return new Rewritten(out.toString(), c.absolute);
    }

    /** The end of a leading {@code label:} (0 when there is none). */
    private static int labelEnd(String st) {
        long w = firstWord(st);
        int start = (int) (w >>> 32);
        int end = (int) w;
        return end > start && end < st.length() && st.charAt(end) == ':' ? end + 1 : 0;
    }

    /** Where the first word of a statement starts (high half) and ends (low half), after its indentation. */
    private static long firstWord(String st) {
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

    /**
     * One listing's rewriting state: the absolute targets it added, its labels (read when a branch first needs
     * them), and the offset from the listing's start while every statement so far had a size known here
     * (directives, and what this class writes as bytes): a branch there is encoded completely, rel32 included.
     */
    private static final class Context {
        final String listing;
        final long address;
        final Map<String, Long> symbols;
        final Mode mode;
        Map<String, Long> absolute = Map.of();
        Set<String> labels;
        long known;

        Context(String listing, long address, Map<String, Long> symbols, Mode mode) {
            this.listing = listing;
            this.address = address;
            this.symbols = symbols;
            this.mode = mode;
        }

        String statement(String st) throws AsmException {
            long fw = firstWord(st);
            int w = (int) (fw >>> 32);
            int i = (int) fw;
            if (w == i) {
                return st; // blank, or a comment
            }
            String indent = st.substring(0, w);
            String word = st.substring(w, i);
            String mnemonic = word.toLowerCase(Locale.ROOT);
            String args = st.substring(i).strip();
            if (mnemonic.startsWith(".")) {
                refuse(mnemonic, args, st);
                directive(mnemonic, args);
                return st;
            }
            long at = known;
            known = -1; // an instruction's size is Keystone's to know, unless encoded here
            switch (mnemonic) {
                case "endbr64":
                    known = at < 0 ? -1 : at + 4;
                    return indent + ".byte 0xf3, 0x0f, 0x1e, 0xfa";
                case "endbr32":
                    known = at < 0 ? -1 : at + 4;
                    return indent + ".byte 0xf3, 0x0f, 0x1e, 0xfb";
                case "jmp":
                    return branch(indent, new int[] {0xe9}, args, at, st);
                case "mov":
                case "movw":
                    return segmentMove(indent, args, st);
                case "bound":
                case "boundl":
                case "boundw":
                    List<String> ops = operands(args);
                    return ops.size() == 2 ? indent + word + " " + ops.get(1) + ", " + ops.get(0) : st;
                default:
                    Integer cc = JCC.get(mnemonic);
                    if (cc != null) {
                        return branch(indent, new int[] {0x0f, cc}, args, at, st);
                    }
                    if (mode == Mode.BITS64 && !mnemonic.startsWith("movabs") && !isBranch(mnemonic)
                            && hasBareOperand(args)) {
                        return absoluteOperands(indent, word, args, st);
                    }
                    return st;
            }
        }

        /**
         * The directives Keystone cannot take: {@code .org} fails ("invalid fragment") and {@code .skip},
         * {@code .space} or {@code .fill} with {@code .} in them make ks_asm loop forever. An error here names
         * them instead.
         */
        private void refuse(String name, String args, String st) throws AsmException {
            boolean org = name.equals(".org");
            boolean dot = (name.equals(".skip") || name.equals(".space") || name.equals(".fill"))
                    && LOCATION.matcher(args).find();
            if (org || dot) {
                throw new AsmException("`" + st.strip() + "`: Keystone cannot assemble " + name
                        + (dot ? " with the location counter" : "") + " (use --assembler gas)");
            }
        }

        /** Follows the offset through the directives whose size is plain. */
        private void directive(String name, String args) {
            if (known < 0) {
                return;
            }
            int width = switch (name) {
                case ".byte" -> 1;
                case ".word", ".short", ".value" -> 2;
                case ".long", ".int" -> 4;
                case ".quad" -> 8;
                default -> 0;
            };
            if (width > 0) {
                known += (long) width * operands(args).size();
            } else if (name.equals(".balign") || name.equals(".p2align")) {
                List<String> ops = operands(args);
                try {
                    long n = Long.decode(ops.get(0));
                    long align = name.equals(".p2align") ? 1L << n : n;
                    // Keystone aligns to the absolute address (see KeystoneBatches)
                    known += Long.remainderUnsigned(align - Long.remainderUnsigned(address + known, align), align);
                } catch (RuntimeException e) {
                    known = -1;
                }
            } else {
                known = -1;
            }
        }

        /** A jmp/jcc to an outside symbol or an absolute address: its rel32 form. */
        private String branch(String indent, int[] opcode, String t, long at, String original)
                throws AsmException {
            if (t.isEmpty() || t.charAt(0) == '*') {
                return original;
            }
            String symbol = null;
            long value;
            String expression = t;
            char c0 = t.charAt(0);
            if (Character.isDigit(c0) || c0 == '-' || c0 == '+') {
                if (NUMERIC_LABEL_REF.matcher(t).matches() || !CONSTANT.matcher(t).matches()) {
                    return original;
                }
                value = evaluate(t);
                symbol = ABS_PREFIX + Long.toHexString(value);
                expression = symbol;
            } else {
                int end = 0;
                while (end < t.length() && isWordChar(t.charAt(end))) {
                    end++;
                }
                String name = t.substring(0, end);
                String offset = t.substring(end);
                if (name.isEmpty() || labels().contains(name)
                        || !(offset.isBlank() || OFFSET.matcher(offset).matches())) {
                    return original;
                }
                Long v = symbols.get(name);
                if (v == null) {
                    throw new AsmException("undefined symbol '" + name + "' in `" + original.strip() + "`");
                }
                value = v + (offset.isBlank() ? 0 : evaluate(offset));
            }
            long distance = value - address;
            if (distance < Integer.MIN_VALUE + REL32_MARGIN || distance > Integer.MAX_VALUE - REL32_MARGIN) {
                throw new AsmException("`" + original.strip() + "`: the target 0x" + Long.toHexString(value)
                        + " is out of rel32 range of 0x" + Long.toHexString(address));
            }
            StringBuilder b = new StringBuilder(indent).append(".byte ");
            for (int k = 0; k < opcode.length; k++) {
                b.append(k == 0 ? "" : ", ").append(BYTE[opcode[k]]);
            }
            if (at < 0) {
                if (symbol != null) {
                    if (absolute.isEmpty()) {
                        absolute = new HashMap<>();
                    }
                    absolute.put(symbol, value);
                }
                return b.append("; .long ").append(expression).append(" - . - 4").toString();
            }
            // the offset is known: the whole instruction is bytes, and Keystone need not resolve anything
            long next = at + opcode.length + 4;
            int rel = (int) (value - (address + next));
            known = next;
            return b.append("; .long 0x").append(Integer.toHexString(rel)).toString();
        }

        private Set<String> labels() {
            if (labels == null) {
                labels = KeystoneDialect.labels(listing);
            }
            return labels;
        }
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

    /** Whether an operand starts with a digit or a sign (a bare constant may be among them). */
    private static boolean hasBareOperand(String args) {
        boolean start = true;
        for (int i = 0; i < args.length(); i++) {
            char ch = args.charAt(i);
            if (start && (Character.isDigit(ch) || ch == '-' || ch == '+')) {
                return true;
            }
            start = ch == ',' || (start && (ch == ' ' || ch == '\t'));
        }
        return false;
    }

    /** {@code mov[w] %r16, %sreg} as {@code movl %r32, %sreg}; anything else unchanged. */
    private static String segmentMove(String indent, String args, String original) {
        List<String> ops = operands(args);
        if (ops.size() == 2) {
            Matcher r = REG16.matcher(ops.get(0));
            if (r.matches() && SREG.matcher(ops.get(1)).matches()) {
                String reg = r.group(1);
                String r32 = reg.startsWith("r") ? reg.substring(0, reg.length() - 1) + "d" : "e" + reg;
                return indent + "movl %" + r32 + ", " + ops.get(1);
            }
        }
        return original;
    }

    /** In 64-bit mode, each bare constant memory operand gets {@code %ds:} (absolute, not RIP-relative). */
    private static String absoluteOperands(String indent, String mnemonic, String args, String original) {
        List<String> ops = operands(args);
        boolean changed = false;
        List<String> out = new ArrayList<>(ops.size());
        for (String op : ops) {
            if (CONSTANT.matcher(op).matches()) {
                out.add("%ds:" + op);
                changed = true;
            } else {
                out.add(op);
            }
        }
        return changed ? indent + mnemonic + " " + String.join(", ", out) : original;
    }

    private static boolean isBranch(String mnemonic) {
        return mnemonic.startsWith("j") || mnemonic.startsWith("call") || mnemonic.startsWith("loop")
                || mnemonic.equals("xbegin");
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
