package dev.idtgen.asm;

import dev.idtgen.elf.ElfFile;
import dev.idtgen.model.Arch;
import dev.idtgen.model.Entry;
import dev.idtgen.model.StubArray;
import dev.idtgen.model.StubStyle;
import dev.idtgen.model.VectorTable;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code idtgen asm verify}: every stub's flat listing assembled at its
 * address in vmlinux, with vmlinux's symbols, and compared with vmlinux's
 * bytes over the stub's extent (the symbol's size; the IDT_ALIGN slot for
 * array stubs).
 */
public final class StubVerifier {

    /** One stub compared: the bytes of vmlinux and of the listing, and where they first differ (-1: nowhere). */
    public record Outcome(FlatListings.Stub stub, long address, byte[] vmlinux, byte[] assembled, int firstDifference) {
        public boolean identical() {
            return firstDifference < 0;
        }
    }

    /**
     * The outcomes, the problems that are not byte differences (a stub missing
     * on one side), and the asm_* symbols of vmlinux the templates do not
     * generate (hand-written upstream).
     */
    public record Report(List<Outcome> outcomes, List<String> problems, List<String> notFromTemplates) {
        public long identical() {
            return outcomes.stream().filter(Outcome::identical).count();
        }

        public boolean ok() {
            return problems.isEmpty() && identical() == outcomes.size();
        }
    }

    private StubVerifier() {
    }

    /** The stub symbols the table can generate on an architecture under some configuration. */
    public static Set<String> generatable(VectorTable t, Arch arch) {
        Set<String> s = new LinkedHashSet<>();
        for (StubArray a : t.stubArrays()) {
            if (a.arches().contains(arch)) {
                s.add(a.name());
            }
        }
        for (Entry e : t.entries()) {
            if (e.arches().contains(arch) && e.kind().stub(arch) != StubStyle.NONE) {
                s.add("asm_" + e.handler());
            }
        }
        return s;
    }

    public static Report verify(KernelImage image, List<FlatListings.Stub> stubs, Set<String> generatable,
                                Assembler asm, Mode mode) throws AsmException, IOException {
        List<String> problems = new ArrayList<>();
        List<FlatListings.Stub> found = new ArrayList<>();
        List<Assembler.Job> jobs = new ArrayList<>();
        List<byte[]> expected = new ArrayList<>();
        Map<String, Integer> arrayStubs = new LinkedHashMap<>();
        Set<String> listed = new LinkedHashSet<>();
        for (FlatListings.Stub s : stubs) {
            listed.add(s.symbol());
            var sym = image.symbol(s.symbol());
            if (sym.isEmpty()) {
                problems.add(s.name() + ": in the flat listing for this .config, but vmlinux has no symbol "
                        + s.symbol());
                continue;
            }
            long size = s.inArray() ? s.slot() : sym.get().size();
            if (s.offset() + size > sym.get().size()) {
                problems.add(s.name() + ": at +" + s.offset() + " beyond " + s.symbol() + "'s "
                        + sym.get().size() + " bytes in vmlinux");
                continue;
            }
            long address = sym.get().value() + s.offset();
            found.add(s);
            jobs.add(new Assembler.Job(s.name(), s.listing(), address));
            expected.add(image.bytes(address, (int) size));
            if (s.inArray()) {
                arrayStubs.merge(s.symbol(), s.slot(), Integer::sum);
            }
        }
        arrayStubs.forEach((name, bytes) -> {
            long have = image.symbol(name).map(ElfFile.Symbol::size).orElse(0L);
            if (have != bytes) {
                problems.add(name + ": the listing's stubs make " + bytes + " bytes, vmlinux's symbol has " + have);
            }
        });
        List<String> notFromTemplates = new ArrayList<>();
        for (String name : image.withPrefix("asm_").keySet()) {
            if (listed.contains(name)) {
                continue;
            }
            if (generatable.contains(name)) {
                problems.add(name + ": in vmlinux, but the flat listing for this .config has no such stub");
            } else {
                notFromTemplates.add(name);
            }
        }
        List<byte[]> got = asm.assembleAll(jobs, image.values(), mode);
        List<Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < found.size(); i++) {
            outcomes.add(new Outcome(found.get(i), jobs.get(i).address(), expected.get(i), got.get(i),
                    firstDifference(expected.get(i), got.get(i))));
        }
        return new Report(outcomes, problems, notFromTemplates);
    }

    /** The first offset where the two differ, counting a length difference; -1 when equal. */
    public static int firstDifference(byte[] a, byte[] b) {
        int n = Math.min(a.length, b.length);
        for (int i = 0; i < n; i++) {
            if (a[i] != b[i]) {
                return i;
            }
        }
        return a.length == b.length ? -1 : n;
    }

    /**
     * The line of a mismatch: the stub, the first differing offset, and the
     * instruction at that offset on both sides.
     */
    public static String describe(Outcome o, Mode mode) {
        int d = o.firstDifference();
        return String.format("mismatch %s at 0x%x+0x%x: vmlinux %s | listing %s%s", o.stub().name(), o.address(), d,
                Disassembler.at(o.vmlinux(), o.address(), mode, d),
                Disassembler.at(o.assembled(), o.address(), mode, d),
                o.vmlinux().length == o.assembled().length ? ""
                        : String.format(" (%d bytes in vmlinux, %d assembled)", o.vmlinux().length,
                        o.assembled().length));
    }

    static String hex(byte[] b) {
        return HexFormat.ofDelimiter(" ").formatHex(b);
    }
}
