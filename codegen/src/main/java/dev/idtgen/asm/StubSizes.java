package dev.idtgen.asm;

import java.util.ArrayList;
import java.util.List;

/**
 * Stub sizes from the flat listings alone, no kernel needed: each listing is
 * assembled at its own synthetic, page-aligned address with every outside
 * symbol a megabyte away; by the port's contract the encoding, and so the
 * size, does not depend on those values.
 */
public final class StubSizes {

    /** One stub's size: all of it, and its code without an array slot's fill. */
    public record Size(FlatListings.Stub stub, int bytes, int codeBytes) {
        /** An array stub's code fits its IDT_ALIGN slot. */
        public boolean fits() {
            return !stub.inArray() || (codeBytes <= stub.slot() && bytes == stub.slot());
        }
    }

    private StubSizes() {
    }

    public static List<Size> measure(List<FlatListings.Stub> stubs, Assembler asm, Mode mode) throws AsmException {
        long base = mode == Mode.BITS64 ? 0xffffffff81000000L : 0xc1000000L;
        List<Assembler.Job> jobs = new ArrayList<>();
        for (int i = 0; i < stubs.size(); i++) {
            FlatListings.Stub s = stubs.get(i);
            jobs.add(new Assembler.Job(s.name(), s.listing(), base + 0x1000L * i));
            jobs.add(new Assembler.Job(s.name() + " (code)", s.code(), base + 0x1000L * i));
        }
        List<byte[]> b = asm.assembleAll(jobs, Symbols.any(base - 0x100000L), mode);
        List<Size> out = new ArrayList<>();
        for (int i = 0; i < stubs.size(); i++) {
            out.add(new Size(stubs.get(i), b.get(2 * i).length, b.get(2 * i + 1).length));
        }
        return out;
    }
}
