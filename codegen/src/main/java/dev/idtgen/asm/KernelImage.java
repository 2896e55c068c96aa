package dev.idtgen.asm;

import dev.idtgen.elf.ElfFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A linked vmlinux as the verification reads it: symbol values for the
 * resolver and the bytes at any address of its allocated sections.
 */
public final class KernelImage {

    private static final int STT_FILE = 4;
    private static final long SHF_ALLOC = 2;
    private static final int SHT_NOBITS = 8;

    private final ElfFile elf;
    private final Map<String, ElfFile.Symbol> byName = new HashMap<>();
    private final Map<Integer, byte[]> sectionCache = new HashMap<>();

    private KernelImage(ElfFile elf) {
        this.elf = elf;
        Map<String, List<ElfFile.Symbol>> all = new HashMap<>();
        for (ElfFile.Symbol s : elf.symbols()) {
            if (s.name().isEmpty() || s.type() == ElfFile.Symbol.STT_SECTION || s.type() == STT_FILE) {
                continue;
            }
            all.computeIfAbsent(s.name(), k -> new ArrayList<>()).add(s);
        }
        all.forEach((name, list) -> byName.put(name, pick(list)));
    }

    /** Global and weak symbols first; among several local ones, the one in .entry.text. */
    private ElfFile.Symbol pick(List<ElfFile.Symbol> list) {
        if (list.size() == 1) {
            return list.get(0);
        }
        for (ElfFile.Symbol s : list) {
            if (s.bind() == 1 || s.bind() == 2) {
                return s;
            }
        }
        for (ElfFile.Symbol s : list) {
            if (s.section() > 0 && s.section() < elf.sections().size()
                    && elf.section(s.section()).name().equals(".entry.text")) {
                return s;
            }
        }
        return list.get(0);
    }

    public static KernelImage read(Path vmlinux) throws IOException {
        ElfFile e = ElfFile.read(vmlinux);
        if (e.isRelocatable()) {
            throw new IOException(vmlinux + ": a relocatable object, not a linked vmlinux");
        }
        return new KernelImage(e);
    }

    public boolean is64() {
        return elf.is64();
    }

    public Optional<ElfFile.Symbol> symbol(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** Every named symbol's value, for the assembler's resolver. */
    public Map<String, Long> values() {
        Map<String, Long> m = new HashMap<>(byName.size() * 2);
        byName.forEach((n, s) -> m.put(n, s.value()));
        return m;
    }

    /** The names of the symbols, with their sizes, whose names start with {@code prefix}. */
    public Map<String, ElfFile.Symbol> withPrefix(String prefix) {
        Map<String, ElfFile.Symbol> m = new java.util.TreeMap<>();
        byName.forEach((n, s) -> {
            if (n.startsWith(prefix)) {
                m.put(n, s);
            }
        });
        return m;
    }

    /** {@code length} bytes at a virtual address inside one allocated section. */
    public byte[] bytes(long address, int length) throws IOException {
        for (ElfFile.Section s : elf.sections()) {
            if ((s.flags() & SHF_ALLOC) == 0 || s.type() == SHT_NOBITS) {
                continue;
            }
            if (Long.compareUnsigned(address, s.addr()) >= 0
                    && Long.compareUnsigned(address + length, s.addr() + s.size()) <= 0) {
                byte[] all = sectionCache.computeIfAbsent(s.index(), i -> elf.sectionBytes(s));
                int off = (int) (address - s.addr());
                byte[] b = new byte[length];
                System.arraycopy(all, off, b, 0, length);
                return b;
            }
        }
        throw new IOException(elf.path() + ": no section holds 0x" + Long.toHexString(address) + "+" + length);
    }
}
