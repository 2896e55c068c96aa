package dev.idtgen.asm;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.idtgen.asm.KeystoneDialect.CONSTANT;
import static dev.idtgen.asm.KeystoneDialect.LOCATION;
import static dev.idtgen.asm.KeystoneDialect.evaluate;
import static dev.idtgen.asm.KeystoneDialect.firstWord;
import static dev.idtgen.asm.KeystoneDialect.isWordChar;
import static dev.idtgen.asm.KeystoneDialect.operands;

/**
 * Rewrites the statements of one listing for Keystone, by the rules
 * {@link KeystoneDialect} describes. Its state: the absolute targets it
 * added, its labels (read when a branch first needs them), and the offset
 * from the listing's start while every statement so far had a size known
 * here (directives, and what this class writes as bytes): a branch there is
 * encoded completely, rel32 included.
 */
final class KeystoneRewriting {

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

    /** A constant offset after a branch target's symbol ({@code +8}, {@code - 0x10}). */
    private static final Pattern OFFSET = Pattern.compile("(?:\\s*[-+]\\s*" + KeystoneDialect.NUMBER + ")+\\s*");
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

    private final String listing;
    private final long address;
    private final Map<String, Long> symbols;
    private final Mode mode;
    private Map<String, Long> absolute = Map.of();
    private Set<String> labels;
    private long known;

    KeystoneRewriting(String listing, long address, Map<String, Long> symbols, Mode mode) {
        this.listing = listing;
        this.address = address;
        this.symbols = symbols;
        this.mode = mode;
    }

    /** The symbols added for absolute branch targets, by name. */
    Map<String, Long> absolute() {
        return absolute;
    }

    /** One statement (its label taken off) as Keystone gets it. */
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
}
