package dev.idtgen.change;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The branches gas resolved without a relocation: a {@code call} or {@code jmp}/{@code jcc} with a 32-bit
 * displacement to a static function of the same object and section has its displacement in the bytes, so its
 * bytes change whenever code between the two moves. Read from {@code objdump -d -r} of the given sections:
 * per section, the displacement's offset to the target as objdump names it ({@code symbol+0xoff}).
 * {@link Fingerprints} zeroes those displacements and digests the targets instead, as it does for relocations.
 */
final class Branches {

    private static final Pattern SECTION = Pattern.compile("^Disassembly of section (\\S+):$");
    private static final Pattern INSN = Pattern.compile(
            "^\\s*([0-9a-f]+):\\t((?:[0-9a-f]{2} )+)\\s*\\t(\\S+)\\s+[0-9a-f]+ <([^>]+)>\\s*$");
    private static final Pattern RELOC = Pattern.compile("^\\s*([0-9a-f]+): R_\\S+");

    private Branches() {
    }

    /** Section name to displacement offset to target, for {@code sections} of the relocatable {@code object}. */
    static Map<String, Map<Long, String>> of(Path object, Set<String> sections) throws IOException {
        Process p = new ProcessBuilder(objdumpCommand(object, sections)).redirectErrorStream(false).start();
        Map<String, Map<Long, String>> out;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            out = unrelocated(r);
        }
        awaitSuccess(p, object);
        return out;
    }

    /** {@code objdump -d -r} of {@code sections}: with the raw bytes, the opcode says where the displacement is. */
    private static List<String> objdumpCommand(Path object, Set<String> sections) {
        List<String> cmd = new ArrayList<>(List.of("objdump", "-d", "-r"));
        for (String s : sections) {
            cmd.add("-j");
            cmd.add(s);
        }
        cmd.add(object.toString());
        return cmd;
    }

    /**
     * From an {@code objdump -d -r} listing: per section, the offset of each call's or jump's 32-bit
     * displacement to its target, leaving out the displacements a relocation fills in.
     */
    static Map<String, Map<Long, String>> unrelocated(BufferedReader listing) throws IOException {
        Map<String, Map<Long, String>> candidates = new HashMap<>();
        Map<String, Set<Long>> relocated = new HashMap<>();
        String section = null;
        for (String line; (line = listing.readLine()) != null; ) {
            Matcher m;
            if ((m = SECTION.matcher(line)).matches()) {
                section = m.group(1);
            } else if (section == null) {
                continue;
            } else if ((m = RELOC.matcher(line)).find()) {
                relocated.computeIfAbsent(section, k -> new HashSet<>()).add(Long.parseLong(m.group(1), 16));
            } else if ((m = INSN.matcher(line)).matches()) {
                int at = displacementAt(m.group(2).strip().split(" "), m.group(3));
                if (at > 0) {
                    candidates.computeIfAbsent(section, k -> new TreeMap<>())
                            .put(Long.parseLong(m.group(1), 16) + at, m.group(4));
                }
            }
        }
        Map<String, Map<Long, String>> out = new HashMap<>();
        candidates.forEach((sec, m) -> {
            Map<Long, String> keep = new TreeMap<>();
            Set<Long> rel = relocated.getOrDefault(sec, Set.of());
            m.forEach((off, target) -> {
                if (!rel.contains(off)) {
                    keep.put(off, target);
                }
            });
            out.put(sec, keep);
        });
        return out;
    }

    /**
     * Where a call's or jump's 32-bit displacement starts in its {@code bytes}: 1 after e8/e9, 2 after 0f 8x;
     * -1 for any other instruction.
     */
    private static int displacementAt(String[] bytes, String mnemonic) {
        if (!mnemonic.startsWith("call") && !mnemonic.startsWith("j")) {
            return -1;
        }
        if (bytes.length == 5 && (bytes[0].equals("e8") || bytes[0].equals("e9"))) {
            return 1;
        }
        if (bytes.length == 6 && bytes[0].equals("0f") && bytes[1].startsWith("8")) {
            return 2;
        }
        return -1;
    }

    private static void awaitSuccess(Process p, Path object) throws IOException {
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("objdump -d " + object + " failed (exit " + (p.isAlive() ? "none" : p.exitValue())
                        + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading objdump -d " + object, e);
        }
    }
}
