package dev.idtgen.asm;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Several listings in one {@code ks_asm} call, each with exactly the bytes it
 * gets alone. Keystone builds a whole LLVM MC assembler per call, which costs
 * more than assembling a small stub.
 *
 * <p>Each listing gets a slot. It is followed by an end mark (one byte, 0x5a)
 * and zeros up to the end of its slot; the slot's last byte that is not zero
 * is the mark, which gives the listing's length whatever its own last bytes
 * are. A listing that ends by aligning to a multiple of its slot (an irq
 * stub's {@code .balign IDT_ALIGN, 0xcc}) fills the slot and needs neither,
 * when all in the batch do. Its {@code .L} labels are made its own. A
 * sentinel byte ends the batch and must land at {@code n * slot}: a listing
 * longer than its slot pushes it further.
 *
 * <ul>
 * <li>A <em>run</em> is listings at {@code a, a+G, a+2G, ...}, with G a power
 *     of two that every alignment in them divides and {@code a} a multiple
 *     of G. It is assembled at {@code a}, so every listing is at its own
 *     address. Keystone has no working {@code .org} (an "invalid fragment"),
 *     hence the even spacing.</li>
 * <li>The listings left over (the asm_* stubs, one per symbol) go on a grid
 *     of {@link #GRID}-byte slots, away from their own addresses. So each
 *     PC-relative reference to an outside symbol (a call/jmp/jcc operand, the
 *     dialect's {@code .long X - . - 4}) names an alias whose value is the
 *     symbol's plus the listing's displacement. A listing that overran its
 *     slot (the first slot without its mark) is assembled alone and the grid
 *     tried again.</li>
 * <li>Keystone aligns ({@code .balign}) to absolute addresses, so runs and the
 *     grid start at a multiple of their slot, and a listing moves only when
 *     its own address is a multiple of its alignment.</li>
 * <li>Assembled alone: listings with numeric labels ({@code 1:},
 *     {@code jmp 1f}; a reference without its label in the listing would
 *     find one in the next), with a PC-relative form not known here
 *     ({@code (%rip)}, loop, {@code .} in another expression), empty ones,
 *     and every listing of a batch that fails, which also names the listing
 *     at fault.</li>
 * </ul>
 */
final class KeystoneBatches {

    /** Assembles one listing (already rewritten) at an address with symbols. */
    interface Single {
        byte[] assemble(String listing, long address, Map<String, Long> symbols) throws AsmException;
    }

    /** A wider spacing is not worth its padding, which Keystone fills byte by byte */
    static final long MAX_SLOT = 256;
    private static final Pattern LOCAL_LABEL = Pattern.compile("(?<![\\w.$])(\\.L[A-Za-z0-9_$]+)");
    /** Marks the end of a listing in its slot, and of a batch (the sentinel). */
    private static final int END_MARK = 0x5a;
    /** An alignment directive, at the start of a line or after a {@code ;}. */
    private static final Pattern ALIGN = Pattern.compile("(?:^|;)\\s*\\.(b?align|p2align)\\s+(\\w+)",
            Pattern.MULTILINE);
    /**
     * The grid's slot: larger than most stubs (an asm_* stub is about 30 bytes); a listing that overruns it (an
     * i386 stub with SAVE_ALL's stack switch) is assembled alone. Padding costs Keystone time, hence not larger.
     */
    static final long GRID = 128;
    /** How many listings may overrun the grid's slots before the rest are assembled one by one too. */
    static final int MAX_OVERRUNS = 8;
    private static final String SYM = "[A-Za-z_][\\w.$]*";
    /** A direct call/jmp/jcc operand (group 2) or the dialect's .long X - . - 4 (group 4). */
    private static final Pattern PC_REL = Pattern.compile("(?<![\\w.$])((?:call[lq]?|j[a-z]{1,4})\\s+)(" + SYM
            + ")(?![\\w.$(])|(\\.long\\s+)(" + SYM + ")(?=\\s*-\\s*\\.\\s*-\\s*4)");
    private static final Pattern PC_REL_DATA = Pattern.compile("-\\s*\\.\\s*-\\s*4");
    private static final Pattern UNMOVABLE = Pattern.compile("(?<![\\w.$])(loop\\w*|jecxz|jrcxz|jcxz|xbegin)\\s");

    private KeystoneBatches() {
    }

    /** A listing after the dialect, where it goes, its place in the caller's order, the symbols it adds. */
    record Item(int index, String name, String listing, long address, Map<String, Long> absolute) {
    }

    /** The bytes of every item, in the items' order; {@code symbols} are the ones all items share. */
    static List<byte[]> assemble(List<Item> items, Map<String, Long> symbols, Single single) throws AsmException {
        byte[][] out = new byte[items.size()][];
        List<Item> sorted = new ArrayList<>();
        for (Item it : items) {
            if (it.listing().isBlank() || hasNumericLabel(it.listing())) {
                out[it.index()] = alone(it, symbols, single);
            } else {
                sorted.add(it);
            }
        }
        sorted.sort(Comparator.comparingLong(Item::address).thenComparingInt(Item::index));
        List<Item> scattered = new ArrayList<>();
        int i = 0;
        while (i < sorted.size()) {
            int end = runEnd(sorted, i);
            if (end - i >= 2) {
                List<Item> run = sorted.subList(i, end);
                long slot = sorted.get(i + 1).address() - sorted.get(i).address();
                List<byte[]> bytes = run(run, run.get(0).address(), slot, symbols, single).bytes();
                for (int k = 0; k < run.size(); k++) {
                    out[run.get(k).index()] = bytes != null ? bytes.get(k) : alone(run.get(k), symbols, single);
                }
            } else {
                scattered.add(sorted.get(i));
            }
            i = end;
        }
        // the rest, each at its own address: on a grid of GRID-byte slots, their PC-relative references shifted
        List<Item> movable = new ArrayList<>();
        for (Item it : scattered) {
            // a listing of many characters is many bytes: alone at once rather than found by overrunning
            long align = alignment(it.listing());
            if (scattered.size() >= 2 && it.listing().length() <= 4 * GRID && GRID % align == 0
                    && it.address() % align == 0 && pcRelativeKnown(it.listing())) {
                movable.add(it);
            } else {
                out[it.index()] = alone(it, symbols, single);
            }
        }
        // a listing longer than its slot is found by its slot (the first without its end mark), goes alone,
        // and the grid is tried again without it
        for (int attempt = 0; movable.size() >= 2 && attempt <= MAX_OVERRUNS; attempt++) {
            Batch b = run(movable, movable.get(0).address() & -GRID, GRID, symbols, single);
            if (b.bytes() != null) {
                for (int k = 0; k < movable.size(); k++) {
                    out[movable.get(k).index()] = b.bytes().get(k);
                }
                movable.clear();
            } else if (b.overran() >= 0) {
                Item big = movable.remove(b.overran());
                out[big.index()] = alone(big, symbols, single);
            } else {
                break;
            }
        }
        for (Item it : movable) {
            out[it.index()] = alone(it, symbols, single);
        }
        return List.of(out);
    }

    /** Whether a listing defines or uses a numeric label ({@code 1:}, {@code 1f}, {@code 2b}). */
    static boolean hasNumericLabel(String listing) {
        for (int i = 0; i < listing.length(); i++) {
            char c = listing.charAt(i);
            if ((c == ':' || c == 'f' || c == 'b') && i > 0 && Character.isDigit(listing.charAt(i - 1))) {
                int s = i - 1;
                while (s > 0 && Character.isDigit(listing.charAt(s - 1))) {
                    s--;
                }
                boolean startsWord = s == 0 || !KeystoneDialect.isWordChar(listing.charAt(s - 1));
                boolean endsWord = c == ':' || i + 1 == listing.length()
                        || !KeystoneDialect.isWordChar(listing.charAt(i + 1));
                if (startsWord && endsWord) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The end (exclusive) of the run that starts at {@code i}: evenly spaced, the spacing a usable slot. */
    private static int runEnd(List<Item> sorted, int i) {
        if (i + 1 >= sorted.size()) {
            return i + 1;
        }
        long slot = sorted.get(i + 1).address() - sorted.get(i).address();
        // Keystone pads to absolute addresses: a run starts at a multiple of its slot
        if (slot <= 0 || slot > MAX_SLOT || Long.bitCount(slot) != 1 || sorted.get(i).address() % slot != 0) {
            return i + 1;
        }
        int end = i;
        while (end < sorted.size() && sorted.get(end).address() == sorted.get(i).address() + slot * (end - i)
                && slot % alignment(sorted.get(end).listing()) == 0) {
            end++;
        }
        return Math.max(end, i + 1);
    }

    /** The largest alignment a listing asks for (1 when none; an unreadable one counts as too large). */
    static long alignment(String listing) {
        long max = 1;
        if (!listing.contains("align")) {
            return max;
        }
        Matcher m = ALIGN.matcher(listing);
        while (m.find()) {
            long v;
            try {
                v = Long.decode(m.group(2));
            } catch (NumberFormatException e) {
                return Long.MAX_VALUE;
            }
            long a = m.group(1).equals("p2align") ? (v < 62 ? 1L << v : Long.MAX_VALUE) : v;
            max = Math.max(max, a);
        }
        return max;
    }

    /**
     * Listings in one ks_asm call, listing k at {@code at + k*slot}, or null when they must be assembled
     * one by one. A listing placed elsewhere than its own address has its PC-relative references to outside
     * symbols shifted by the difference (see {@link #pcRelativeKnown}).
     */
    /** A batch's bytes per listing, or null and the first listing that overran its slot (-1: unknown). */
    private record Batch(List<byte[]> bytes, int overran) {
        static final Batch FAILED = new Batch(null, -1);
    }

    private static Batch run(List<Item> run, long at, long slot, Map<String, Long> shared, Single single) {
        Map<String, Long> extra = new HashMap<>();
        List<String> listings = new ArrayList<>(run.size());
        for (int k = 0; k < run.size(); k++) {
            Item it = run.get(k);
            extra.putAll(it.absolute());
            long delta = at + slot * k - it.address();
            listings.add(delta == 0 ? it.listing() : shifted(it, k, delta, shared, extra));
        }
        Map<String, Long> symbols = Symbols.overlay(shared, extra);
        // listings that end by aligning to their slot fill it: no end marks needed (the sentinel still checks)
        boolean filled = listings.stream().allMatch(l -> {
            long e = endAlignment(l);
            return e > 0 && e % slot == 0;
        });
        byte[] bytes;
        try {
            bytes = single.assemble(text(listings, slot, filled), at, symbols);
        } catch (AsmException e) {
            return Batch.FAILED;
        }
        boolean overran = bytes.length != slot * run.size() + 1;
        if (overran && (filled || bytes.length < slot * run.size() + 1)) {
            return Batch.FAILED;
        }
        List<byte[]> out = new ArrayList<>(run.size());
        for (int k = 0; k < run.size(); k++) {
            int from = (int) (slot * k);
            int len = (int) slot;
            if (!filled) {
                // the slot's last byte that is not padding is the listing's end mark
                int mark = from + (int) slot - 1;
                while (mark >= from && bytes[mark] == 0) {
                    mark--;
                }
                if (mark < from || bytes[mark] != END_MARK) {
                    return new Batch(null, overran ? k : -1); // listing k ran into the next slot
                }
                len = mark - from;
            }
            byte[] b = new byte[len];
            System.arraycopy(bytes, from, b, 0, len);
            out.add(b);
        }
        return overran ? new Batch(null, -1) : new Batch(out, -1);
    }

    /** The alignment of a listing's last statement when it is .balign/.p2align (else 0: none). */
    static long endAlignment(String listing) {
        int end = listing.length();
        while (end > 0 && Character.isWhitespace(listing.charAt(end - 1))) {
            end--;
        }
        int start = end;
        while (start > 0 && listing.charAt(start - 1) != '\n' && listing.charAt(start - 1) != ';') {
            start--;
        }
        Matcher m = ALIGN.matcher(listing.substring(start, end));
        if (!m.lookingAt()) {
            return 0;
        }
        try {
            long v = Long.decode(m.group(2));
            return m.group(1).equals("p2align") ? (v < 62 ? 1L << v : 0) : v;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * The listings as one, each in its slot: one that fills its slot by its own alignment as it is; any other
     * followed by the end mark and zeros up to its slot. Then the sentinel.
     */
    private static String text(List<String> listings, long slot, boolean filled) {
        StringBuilder s = new StringBuilder();
        for (int k = 0; k < listings.size(); k++) {
            String l = listings.get(k);
            s.append(l.contains(".L") ? LOCAL_LABEL.matcher(l).replaceAll("$1__j" + k) : l).append('\n');
            if (!filled) {
                s.append(".byte ").append(END_MARK).append("\n.balign ").append(slot).append(", 0\n");
            }
        }
        return s.append(".byte ").append(END_MARK).append('\n').toString();
    }

    /**
     * Whether every PC-relative reference a listing can make to an outside symbol has a form known here: the
     * operand of {@code call}/{@code jmp}/{@code jcc} and the dialect's {@code .long X - . - 4}. Then moving
     * the listing by delta and adding delta to those symbols gives the same bytes; every other use of a symbol
     * is absolute and keeps it. A listing with {@code (%rip)}/{@code (%eip)}, a loop/jecxz/xbegin, or {@code .}
     * elsewhere is not moved.
     */
    static boolean pcRelativeKnown(String listing) {
        if (listing.contains("%rip") || listing.contains("%eip") || UNMOVABLE.matcher(listing).find()) {
            return false;
        }
        String rest = listing.contains("- .") ? PC_REL_DATA.matcher(listing).replaceAll("") : listing;
        return !KeystoneDialect.LOCATION.matcher(rest).find();
    }

    /** The listing with each outside symbol of its call/jmp/jcc operands and .long X - . - 4 made an alias. */
    private static String shifted(Item it, int k, long delta, Map<String, Long> shared, Map<String, Long> extra) {
        Map<String, Long> own = it.absolute();
        java.util.Set<String> labels = KeystoneDialect.labels(it.listing());
        StringBuilder out = new StringBuilder();
        Matcher m = PC_REL.matcher(it.listing());
        while (m.find()) {
            String name = m.group(2) != null ? m.group(2) : m.group(4);
            Long v = own.containsKey(name) ? own.get(name) : shared.get(name);
            if (v == null || labels.contains(name)) {
                m.appendReplacement(out, Matcher.quoteReplacement(m.group()));
                continue;
            }
            String alias = name + "__s" + k;
            extra.put(alias, v + delta);
            int g = m.group(2) != null ? 2 : 4;
            m.appendReplacement(out, Matcher.quoteReplacement(m.group().substring(0, m.start(g) - m.start())
                    + alias + m.group().substring(m.end(g) - m.start())));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static byte[] alone(Item it, Map<String, Long> symbols, Single single) throws AsmException {
        try {
            return single.assemble(it.listing(), it.address(), Symbols.overlay(symbols, it.absolute()));
        } catch (AsmException e) {
            throw new AsmException(it.name() + ": " + e.getMessage(), e);
        }
    }
}
