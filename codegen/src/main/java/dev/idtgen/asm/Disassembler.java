package dev.idtgen.asm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * objdump on a byte string ({@code objdump -D -b binary -m i386:x86-64}, AT&T),
 * to name the instructions of a mismatch.
 */
public final class Disassembler {

    /** One decoded instruction at an offset of the byte string. */
    public record Insn(int offset, int length, String text) {
    }

    private static final Pattern LINE = Pattern.compile("^\\s*([0-9a-f]+):\\s+((?:[0-9a-f]{2} )+)\\s*(.*)$");

    private Disassembler() {
    }

    /** The instructions of {@code code} as if at {@code address}. Empty when objdump is missing. */
    public static List<Insn> disassemble(byte[] code, long address, Mode mode) {
        List<Insn> out = new ArrayList<>();
        if (code.length == 0) {
            return out;
        }
        Path tmp = null;
        try {
            tmp = Files.createTempFile("idtgen-dis", ".bin");
            Files.write(tmp, code);
            Process p = new ProcessBuilder("objdump", "-D", "-b", "binary", "-m",
                    mode == Mode.BITS64 ? "i386:x86-64" : "i386", "--adjust-vma=0x" + Long.toHexString(address),
                    tmp.toString()).redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(60, TimeUnit.SECONDS);
            Insn last = null;
            for (String l : text.lines().toList()) {
                Matcher m = LINE.matcher(l);
                if (!m.matches()) {
                    continue;
                }
                int off = (int) (Long.parseUnsignedLong(m.group(1), 16) - address);
                int len = m.group(2).strip().split(" ").length;
                if (m.group(3).isEmpty() && last != null && last.offset() + last.length() == off) {
                    // a continuation line of a long instruction
                    last = new Insn(last.offset(), last.length() + len, last.text());
                    out.set(out.size() - 1, last);
                    continue;
                }
                last = new Insn(off, len, m.group(3).replaceAll("\\s+", " ").strip());
                out.add(last);
            }
        } catch (IOException e) {
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return out;
        } finally {
            if (tmp != null) {
                tmp.toFile().delete();
            }
        }
        return out;
    }

    /** "jne 0x... (75 08)" for the instruction covering {@code offset}, or the raw bytes from there. */
    public static String at(byte[] code, long address, Mode mode, int offset) {
        if (offset >= code.length) {
            return "(ends at +0x" + Integer.toHexString(code.length) + ")";
        }
        for (Insn i : disassemble(code, address, mode)) {
            if (offset >= i.offset() && offset < i.offset() + i.length()) {
                byte[] b = java.util.Arrays.copyOfRange(code, i.offset(), Math.min(code.length, i.offset() + i.length()));
                return "+0x" + Integer.toHexString(i.offset()) + " " + i.text() + " ("
                        + HexFormat.ofDelimiter(" ").formatHex(b) + ")";
            }
        }
        return "(" + HexFormat.ofDelimiter(" ").formatHex(code, offset, Math.min(code.length, offset + 8)) + ")";
    }
}
