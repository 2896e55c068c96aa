package dev.idtgen.asm;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Several listings in one {@code ks_asm} call, each at its own address and
 * with exactly the bytes it gets alone. Keystone builds a whole LLVM MC
 * assembler per call, which costs more than assembling a small stub; most
 * stubs (the irq and spurious arrays, and any run of listings spaced evenly)
 * can share one.
 *
 * <p>A <em>run</em> is listings at addresses {@code a, a+G, a+2G, ...} with G
 * a power of two that every alignment in them divides. The run is assembled
 * at {@code a} as one listing: each listing (its {@code .L} labels made its
 * own), then {@code .balign G, FILL} up to the next slot, and after the last
 * one a sentinel byte. So every listing lands at its real address, and its
 * alignments and branches come out as they do alone. Keystone has no working
 * {@code .org} (an "invalid fragment"), hence the even spacing.
 *
 * <p>The run is assembled twice, with FILL 0x00 and 0xff: a listing's bytes
 * are the same in both, the padding after it is not, which gives each
 * listing's length. The sentinel must land at {@code n*G}: a listing longer
 * than its slot pushes it further, and then, or on any error, the run's
 * listings are assembled one by one, which also names the listing at fault.
 * Listings with numeric labels ({@code 1:}, {@code jmp 1f}) are always
 * assembled alone: a reference without its label inside the listing would
 * find one in the next listing. So are empty ones (nothing would move the
 * next listing to its slot).
 */
final class KeystoneBatches {

    /** Assembles one listing (already rewritten) at an address with symbols. */
    interface Single {
        byte[] assemble(String listing, long address, Map<String, Long> symbols) throws AsmException;
    }

    /** A wider spacing is not worth its padding: Keystone fills it byte by byte (a 4 KiB slot costs more than a call). */
    static final long MAX_SLOT = 256;
    private static final Pattern LOCAL_LABEL = Pattern.compile("(?<![\\w.$])(\\.L[A-Za-z0-9_$]+)");
    private static final Pattern NUMERIC_REF = Pattern.compile("(?<![\\w.$])\\d+[fb](?![\\w.$])");
    private static final Pattern ALIGN = Pattern.compile("^\\s*\\.(b?align|p2align)\\s+(\\w+)", Pattern.MULTILINE);

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
            if (it.listing().isBlank() || NUMERIC_REF.matcher(it.listing()).find()) {
                out[it.index()] = alone(it, symbols, single);
            } else {
                sorted.add(it);
            }
        }
        sorted.sort(Comparator.comparingLong(Item::address).thenComparingInt(Item::index));
        int i = 0;
        while (i < sorted.size()) {
            int end = runEnd(sorted, i);
            if (end - i >= 2) {
                List<Item> run = sorted.subList(i, end);
                List<byte[]> bytes = run(run, sorted.get(i + 1).address() - sorted.get(i).address(), symbols,
                        single);
                for (int k = 0; k < run.size(); k++) {
                    out[run.get(k).index()] = bytes != null ? bytes.get(k) : alone(run.get(k), symbols, single);
                }
            } else {
                out[sorted.get(i).index()] = alone(sorted.get(i), symbols, single);
            }
            i = end;
        }
        return List.of(out);
    }

    /** The end (exclusive) of the run that starts at {@code i}: evenly spaced, the spacing a usable slot. */
    private static int runEnd(List<Item> sorted, int i) {
        if (i + 1 >= sorted.size()) {
            return i + 1;
        }
        long slot = sorted.get(i + 1).address() - sorted.get(i).address();
        if (slot <= 0 || slot > MAX_SLOT || Long.bitCount(slot) != 1) {
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

    /** A run in one go (two passes), or null when it must be assembled listing by listing. */
    private static List<byte[]> run(List<Item> run, long slot, Map<String, Long> shared, Single single) {
        Map<String, Long> absolute = new HashMap<>();
        for (Item it : run) {
            absolute.putAll(it.absolute());
        }
        Map<String, Long> symbols = Symbols.overlay(shared, absolute);
        long at = run.get(0).address();
        byte[] zero;
        byte[] ones;
        try {
            zero = single.assemble(text(run, slot, "0x00"), at, symbols);
            ones = single.assemble(text(run, slot, "0xff"), at, symbols);
        } catch (AsmException e) {
            return null;
        }
        long expected = slot * run.size() + 1;
        if (zero.length != expected || ones.length != expected) {
            return null; // a listing overran its slot
        }
        List<byte[]> out = new ArrayList<>(run.size());
        for (int k = 0; k < run.size(); k++) {
            int from = (int) (slot * k);
            int len = 0;
            while (len < slot && zero[from + len] == ones[from + len]) {
                len++;
            }
            byte[] b = new byte[len];
            System.arraycopy(zero, from, b, 0, len);
            out.add(b);
        }
        return out;
    }

    private static String text(List<Item> run, long slot, String fill) {
        StringBuilder s = new StringBuilder();
        for (int k = 0; k < run.size(); k++) {
            s.append(LOCAL_LABEL.matcher(run.get(k).listing()).replaceAll("$1__j" + k)).append('\n');
            s.append(".balign ").append(slot).append(", ").append(fill).append('\n');
        }
        return s.append(".byte 0x5a\n").toString();
    }

    private static byte[] alone(Item it, Map<String, Long> symbols, Single single) throws AsmException {
        try {
            return single.assemble(it.listing(), it.address(), Symbols.overlay(symbols, it.absolute()));
        } catch (AsmException e) {
            throw new AsmException(it.name() + ": " + e.getMessage(), e);
        }
    }
}
