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
 *     a symbol of its own for that ({@code .long 0x1000 - .} would be folded
 *     against the section offset, not the address). A target out of rel32
 *     range is an error here, as it is for ld. Branches to the listing's own
 *     labels are left alone: both assemblers relax them the same way.
 *     {@code call} has no short form and needs nothing.</li>
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

    /** A listing as Keystone gets it, and the symbols the resolver answers (the caller's plus absolute targets). */
    record Rewritten(String listing, Map<String, Long> symbols) {
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

    private static final String IDENT = "[A-Za-z_.$][\\w.$]*";
    private static final String NUMBER = "(?:0[xX][0-9a-fA-F]+|\\d+)";
    private static final Pattern LABEL = Pattern.compile("^\\s*(" + IDENT + "|\\d+)\\s*:");
    private static final Pattern STATEMENT = Pattern.compile("^(\\s*)([A-Za-z][\\w.]*)(?:\\s+(.*?))?\\s*$");
    /** A branch target that is a symbol with an optional constant offset. */
    private static final Pattern SYMBOL_TARGET = Pattern.compile("(" + IDENT + ")((?:\\s*[-+]\\s*" + NUMBER + ")*)");
    /** A constant expression: numbers joined by + - * (what a bare absolute operand is made of). */
    private static final Pattern CONSTANT = Pattern.compile("[-+]?\\s*" + NUMBER + "(?:\\s*[-+*]\\s*" + NUMBER + ")*");
    private static final Pattern NUMERIC_LABEL_REF = Pattern.compile("\\d+[fb]");
    private static final Pattern REG16 = Pattern.compile("%(ax|bx|cx|dx|si|di|bp|sp|r(?:8|9|1[0-5])w)");
    private static final Pattern SREG = Pattern.compile("%(cs|ds|es|fs|gs|ss)");
    /** Keep a rel32 target this far inside the range: the listing's own length, with room to spare. */
    private static final long REL32_MARGIN = 1L << 20;
    private static final String ABS_PREFIX = "__idtgen_abs_";

    private KeystoneDialect() {
    }

    /**
     * Rewrites a listing for Keystone. {@code address} is where it starts (for the rel32 range check); an
     * outside symbol a branch uses and {@code symbols} lacks is an error naming it.
     */
    static Rewritten rewrite(String listing, long address, Map<String, Long> symbols, Mode mode)
            throws AsmException {
        Set<String> labels = labels(listing);
        Map<String, Long> syms = symbols;
        StringBuilder out = new StringBuilder(listing.length() + 64);
        String[] lines = listing.split("\n", -1);
        for (int l = 0; l < lines.length; l++) {
            if (l > 0) {
                out.append('\n');
            }
            String[] statements = lines[l].split(";", -1);
            for (int s = 0; s < statements.length; s++) {
                if (s > 0) {
                    out.append(';');
                }
                String st = statements[s];
                Matcher lm = LABEL.matcher(st);
                if (lm.find()) {
                    out.append(st, 0, lm.end());
                    st = st.substring(lm.end());
                }
                Statement r = statement(st, address, syms, labels, mode);
                if (r.symbol() != null) {
                    if (syms == symbols) {
                        syms = new HashMap<>(symbols);
                    }
                    syms.put(r.symbol(), r.value());
                }
                out.append(r.text());
            }
        }
        return new Rewritten(out.toString(), syms);
    }

    /** A rewritten statement, and the absolute-target symbol it introduced (or null). */
    private record Statement(String text, String symbol, long value) {
        static Statement of(String text) {
            return new Statement(text, null, 0);
        }
    }

    private static Statement statement(String st, long address, Map<String, Long> symbols, Set<String> labels,
                                       Mode mode) throws AsmException {
        Matcher m = STATEMENT.matcher(st);
        if (!m.matches()) {
            return Statement.of(st);
        }
        String indent = m.group(1);
        String mnemonic = m.group(2).toLowerCase(Locale.ROOT);
        String args = m.group(3) == null ? "" : m.group(3);
        switch (mnemonic) {
            case "endbr64":
                return Statement.of(indent + ".byte 0xf3, 0x0f, 0x1e, 0xfa");
            case "endbr32":
                return Statement.of(indent + ".byte 0xf3, 0x0f, 0x1e, 0xfb");
            case "jmp":
                return branch(indent, "0xe9", args, address, symbols, labels, st);
            case "mov":
            case "movw":
                return Statement.of(segmentMove(indent, m.group(2), args, st));
            case "bound":
            case "boundl":
            case "boundw":
                List<String> ops = operands(args);
                return Statement.of(ops.size() == 2 ? indent + m.group(2) + " " + ops.get(1) + ", " + ops.get(0) : st);
            default:
                Integer cc = JCC.get(mnemonic);
                if (cc != null) {
                    return branch(indent, "0x0f, 0x" + Integer.toHexString(cc), args, address, symbols, labels, st);
                }
                if (mode == Mode.BITS64 && !mnemonic.startsWith(".") && !mnemonic.startsWith("movabs")
                        && !isBranch(mnemonic)) {
                    return Statement.of(absoluteOperands(indent, m.group(2), args, st));
                }
                return Statement.of(st);
        }
    }

    /** A jmp/jcc to an outside symbol or an absolute address: its rel32 form, resolved by Keystone. */
    private static Statement branch(String indent, String opcode, String target, long address,
                                    Map<String, Long> symbols, Set<String> labels, String original)
            throws AsmException {
        String t = target.strip();
        if (t.isEmpty() || t.startsWith("*") || NUMERIC_LABEL_REF.matcher(t).matches()) {
            return Statement.of(original);
        }
        String symbol;
        long value;
        String expression;
        Matcher sm = SYMBOL_TARGET.matcher(t);
        if (CONSTANT.matcher(t).matches()) {
            value = evaluate(t);
            symbol = ABS_PREFIX + Long.toHexString(value);
            expression = symbol;
        } else if (sm.matches()) {
            String name = sm.group(1);
            if (labels.contains(name)) {
                return Statement.of(original);
            }
            Long v = symbols.get(name);
            if (v == null) {
                throw new AsmException("undefined symbol '" + name + "' in `" + original.strip() + "`");
            }
            value = v + (sm.group(2).isBlank() ? 0 : evaluate(sm.group(2)));
            symbol = null;
            expression = t;
        } else {
            return Statement.of(original);
        }
        long distance = value - address;
        if (distance < Integer.MIN_VALUE + REL32_MARGIN || distance > Integer.MAX_VALUE - REL32_MARGIN) {
            throw new AsmException("`" + original.strip() + "`: the target 0x" + Long.toHexString(value)
                    + " is out of rel32 range of 0x" + Long.toHexString(address));
        }
        String text = indent + ".byte " + opcode + "; .long " + expression + " - . - 4";
        return symbol == null ? Statement.of(text) : new Statement(text, symbol, value);
    }

    /** {@code mov[w] %r16, %sreg} as {@code movl %r32, %sreg}; anything else unchanged. */
    private static String segmentMove(String indent, String mnemonic, String args, String original) {
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

    /** The labels a listing defines ({@code name:}, {@code 1:}). */
    private static Set<String> labels(String listing) {
        Set<String> out = new HashSet<>();
        for (String line : listing.split("[\n;]")) {
            Matcher m = LABEL.matcher(line);
            if (m.find()) {
                out.add(m.group(1));
            }
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
