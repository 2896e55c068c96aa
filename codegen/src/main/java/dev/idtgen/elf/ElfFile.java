package dev.idtgen.elf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A small reader for little-endian ELF32/ELF64 files (vmlinux, vmlinux.o):
 * section headers, the symbol table and RELA/REL relocations. It reads only
 * what the comparisons need; no maintained Java ELF library covers
 * relocations of both classes, and this is a few hundred lines.
 */
public final class ElfFile {

    /** A section header. */
    public record Section(int index, String name, int type, long flags, long addr, long offset, long size,
                          int link, int info, long entsize) {
    }

    /** A symbol-table entry; {@code section} is the section index (0: undefined). */
    public record Symbol(String name, long value, long size, int type, int bind, int section) {
        public static final int STT_SECTION = 3;
        public static final int STT_FUNC = 2;
    }

    /** A relocation of the section it applies to. */
    public record Reloc(long offset, int type, Symbol symbol, long addend) {
    }

    private static final int SHT_SYMTAB = 2;
    private static final int SHT_RELA = 4;
    private static final int SHT_REL = 9;
    private static final int SHT_NOBITS = 8;

    private final Path path;
    private final ByteBuffer buf;
    private final boolean is64;
    private final int machine;
    private final List<Section> sections = new ArrayList<>();
    private final List<Symbol> symbols = new ArrayList<>();
    private final Map<Integer, List<Reloc>> relocs = new HashMap<>();

    private ElfFile(Path path, ByteBuffer buf) throws IOException {
        this.path = path;
        this.buf = buf.order(ByteOrder.LITTLE_ENDIAN);
        if (buf.limit() < 52 || buf.getInt(0) != 0x464c457f) {
            throw new IOException(path + ": not an ELF file");
        }
        if (buf.get(5) != 1) {
            throw new IOException(path + ": not a little-endian ELF file");
        }
        is64 = buf.get(4) == 2;
        machine = Short.toUnsignedInt(buf.getShort(18));
        readSections();
        readSymbols();
        readRelocations();
    }

    public static ElfFile read(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            return new ElfFile(path, ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size()));
        }
    }

    public Path path() {
        return path;
    }

    public boolean is64() {
        return is64;
    }

    /** e_machine: 62 for x86_64, 3 for i386. */
    public int machine() {
        return machine;
    }

    public List<Section> sections() {
        return Collections.unmodifiableList(sections);
    }

    public List<Symbol> symbols() {
        return Collections.unmodifiableList(symbols);
    }

    public Section section(int index) {
        return sections.get(index);
    }

    /** The relocations that apply to section {@code index}, sorted by offset. */
    public List<Reloc> relocations(int index) {
        return relocs.getOrDefault(index, List.of());
    }

    /** The bytes of a symbol's extent in its section (file-backed sections only). */
    public byte[] bytes(Symbol s) {
        Section sec = sections.get(s.section());
        byte[] b = new byte[(int) s.size()];
        if (sec.type() == SHT_NOBITS) {
            return b;
        }
        long base = sec.offset() + (isRelocatable() ? s.value() : s.value() - sec.addr());
        buf.get((int) base, b, 0, b.length);
        return b;
    }

    /** The file bytes of a section. */
    public byte[] sectionBytes(Section sec) {
        byte[] b = new byte[(int) sec.size()];
        if (sec.type() != SHT_NOBITS) {
            buf.get((int) sec.offset(), b, 0, b.length);
        }
        return b;
    }

    /** The offset of a symbol inside its section. */
    public long sectionOffset(Symbol s) {
        return isRelocatable() ? s.value() : s.value() - sections.get(s.section()).addr();
    }

    public boolean isRelocatable() {
        return Short.toUnsignedInt(buf.getShort(16)) == 1;
    }

    private long word(int off) {
        return is64 ? buf.getLong(off) : Integer.toUnsignedLong(buf.getInt(off));
    }

    private void readSections() {
        long shoff = is64 ? buf.getLong(0x28) : Integer.toUnsignedLong(buf.getInt(0x20));
        int shentsize = Short.toUnsignedInt(buf.getShort(is64 ? 0x3a : 0x2e));
        int shnum = Short.toUnsignedInt(buf.getShort(is64 ? 0x3c : 0x30));
        int shstrndx = Short.toUnsignedInt(buf.getShort(is64 ? 0x3e : 0x32));
        if (shnum == 0 && shoff != 0) {
            shnum = (int) (is64 ? buf.getLong((int) shoff + 0x20) : buf.getInt((int) shoff + 0x14));
        }
        if (shstrndx == 0xffff) {
            shstrndx = buf.getInt((int) shoff + (is64 ? 0x28 : 0x18));
        }
        long[][] raw = new long[shnum][];
        for (int i = 0; i < shnum; i++) {
            int o = (int) (shoff + (long) i * shentsize);
            if (is64) {
                raw[i] = new long[] {Integer.toUnsignedLong(buf.getInt(o)), buf.getInt(o + 4), buf.getLong(o + 8),
                        buf.getLong(o + 16), buf.getLong(o + 24), buf.getLong(o + 32), buf.getInt(o + 40),
                        buf.getInt(o + 44), buf.getLong(o + 56)};
            } else {
                raw[i] = new long[] {Integer.toUnsignedLong(buf.getInt(o)), buf.getInt(o + 4), word(o + 8),
                        word(o + 12), word(o + 16), word(o + 20), buf.getInt(o + 24), buf.getInt(o + 28),
                        word(o + 36)};
            }
        }
        long strOff = raw.length > shstrndx ? raw[shstrndx][4] : 0;
        for (int i = 0; i < shnum; i++) {
            long[] r = raw[i];
            sections.add(new Section(i, cstring(strOff + r[0]), (int) r[1], r[2], r[3], r[4], r[5], (int) r[6],
                    (int) r[7], r[8]));
        }
    }

    private void readSymbols() {
        for (Section s : sections) {
            if (s.type() != SHT_SYMTAB) {
                continue;
            }
            long strOff = sections.get(s.link()).offset();
            int n = (int) (s.size() / s.entsize());
            long shndxOff = -1;
            for (Section x : sections) {
                if (x.type() == 18 && x.link() == s.index()) { // SHT_SYMTAB_SHNDX
                    shndxOff = x.offset();
                }
            }
            for (int i = 0; i < n; i++) {
                int o = (int) (s.offset() + (long) i * s.entsize());
                long name;
                long value;
                long size;
                int info;
                int shndx;
                if (is64) {
                    name = Integer.toUnsignedLong(buf.getInt(o));
                    info = Byte.toUnsignedInt(buf.get(o + 4));
                    shndx = Short.toUnsignedInt(buf.getShort(o + 6));
                    value = buf.getLong(o + 8);
                    size = buf.getLong(o + 16);
                } else {
                    name = Integer.toUnsignedLong(buf.getInt(o));
                    value = Integer.toUnsignedLong(buf.getInt(o + 4));
                    size = Integer.toUnsignedLong(buf.getInt(o + 8));
                    info = Byte.toUnsignedInt(buf.get(o + 12));
                    shndx = Short.toUnsignedInt(buf.getShort(o + 14));
                }
                if (shndx == 0xffff && shndxOff >= 0) {
                    shndx = buf.getInt((int) (shndxOff + 4L * i));
                } else if (shndx >= 0xff00) {
                    shndx = 0;
                }
                String nm = cstring(strOff + name);
                if ((info & 0xf) == Symbol.STT_SECTION && nm.isEmpty() && shndx < sections.size()) {
                    nm = sections.get(shndx).name();
                }
                symbols.add(new Symbol(nm, value, size, info & 0xf, info >> 4, shndx));
            }
            return;
        }
    }

    private void readRelocations() {
        for (Section s : sections) {
            if (s.type() != SHT_RELA && s.type() != SHT_REL) {
                continue;
            }
            boolean rela = s.type() == SHT_RELA;
            int n = (int) (s.size() / s.entsize());
            List<Reloc> list = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int o = (int) (s.offset() + (long) i * s.entsize());
                long off;
                int type;
                int symIndex;
                long addend = 0;
                if (is64) {
                    off = buf.getLong(o);
                    long info = buf.getLong(o + 8);
                    type = (int) (info & 0xffffffffL);
                    symIndex = (int) (info >>> 32);
                    if (rela) {
                        addend = buf.getLong(o + 16);
                    }
                } else {
                    off = Integer.toUnsignedLong(buf.getInt(o));
                    int info = buf.getInt(o + 4);
                    type = info & 0xff;
                    symIndex = info >>> 8;
                    if (rela) {
                        addend = buf.getInt(o + 8);
                    }
                }
                Symbol sym = symIndex < symbols.size() ? symbols.get(symIndex) : null;
                list.add(new Reloc(off, type, sym, addend));
            }
            list.sort((a, b) -> Long.compare(a.offset(), b.offset()));
            relocs.computeIfAbsent(s.info(), k -> new ArrayList<>()).addAll(list);
        }
    }

    /** For REL (i386) relocations the addend lives in the section bytes at the relocated place. */
    public long implicitAddend(Section target, Reloc r) {
        return buf.getInt((int) (target.offset() + r.offset()));
    }

    private String cstring(long off) {
        int o = (int) off;
        int e = o;
        while (e < buf.limit() && buf.get(e) != 0) {
            e++;
        }
        byte[] b = new byte[e - o];
        buf.get(o, b, 0, b.length);
        return new String(b, StandardCharsets.UTF_8);
    }
}
