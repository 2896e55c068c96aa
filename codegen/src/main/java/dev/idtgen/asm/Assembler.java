package dev.idtgen.asm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The assembler port: AT&T-syntax listings to machine code, 32- and 64-bit.
 *
 * <p>The contract every backend keeps (and {@code AssemblerContractTest}
 * checks):
 * <ul>
 * <li>the listing is plain instructions, labels ({@code .Lname:}, {@code 0:})
 *     and the data/alignment directives {@code .byte} and {@code .balign N, fill};
 *     {@code ;} and newlines separate statements;</li>
 * <li>the first byte lands at {@code address} (64-bit addresses are fine); a
 *     listing that aligns ({@code .balign N}) starts at a multiple of N, as
 *     the kernel's stubs do (otherwise gas aligns from the listing's start,
 *     Keystone from address 0);</li>
 * <li>every symbol the listing uses and does not define is looked up in
 *     {@code symbols}; one missing there is an error naming it;</li>
 * <li>a branch or call to such a symbol is encoded as GNU as encodes one to a
 *     global symbol: always the rel32 form; branches to the listing's own labels
 *     take the shortest form that reaches.</li>
 * </ul>
 * Backends are not thread-safe; use one per thread.
 */
public interface Assembler extends AutoCloseable {

    /** One listing to assemble at an address. */
    record Job(String name, String listing, long address) {
    }

    /** The backend's name as the command line spells it ({@code keystone}, {@code gas}). */
    String name();

    /** A one-line description for the "assembler: ..." line: the backend and its version. */
    String describe();

    /** Assembles one listing; the bytes start at {@code address}. */
    byte[] assemble(String listing, long address, Map<String, Long> symbols, Mode mode) throws AsmException;

    /**
     * Assembles several listings with one symbol table, results in order. A
     * backend may do this in one go (gas: one process); the default is one by one.
     */
    default List<byte[]> assembleAll(List<Job> jobs, Map<String, Long> symbols, Mode mode) throws AsmException {
        List<byte[]> out = new ArrayList<>(jobs.size());
        for (Job j : jobs) {
            try {
                out.add(assemble(j.listing(), j.address(), symbols, mode));
            } catch (AsmException e) {
                throw new AsmException(j.name() + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    @Override
    default void close() {
    }
}
