package dev.idtgen.asm;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The in-process backend: Keystone (x86, AT&T syntax) through JNA, one
 * engine per mode, the symbols answered by a KS_OPT_SYM_RESOLVER callback,
 * listings assembled at 64-bit addresses. Where Keystone would encode a
 * statement differently from GNU as, {@link KeystoneDialect} rewrites it
 * first (the one place that knows those differences). Needs a libkeystone
 * with the X86 target; {@link #open()} says exactly what is missing otherwise.
 */
public final class KeystoneAssembler implements Assembler {

    private final Keystone keystone;
    private final Map<Mode, Keystone.Engine> engines = new EnumMap<>(Mode.class);

    private KeystoneAssembler(Keystone keystone) {
        this.keystone = keystone;
    }

    /**
     * The backend with the library {@code env} (the process environment) names, or an exception whose message
     * is the exact reason it is unavailable.
     */
    public static KeystoneAssembler open(Map<String, String> env) throws AsmException {
        return open(Keystone.load(env));
    }

    public static KeystoneAssembler open(Keystone ks) throws AsmException {
        if (!ks.loaded()) {
            throw new AsmException("libkeystone not loaded: " + ks.loadError());
        }
        if (!ks.archSupported(KeystoneNative.KS_ARCH_X86)) {
            throw new AsmException(ks.library() + " (Keystone " + ks.version() + ") is built without the X86 target: "
                    + "ks_arch_supported(KS_ARCH_X86) is false; it has " + String.join(", ", ks.architectures()));
        }
        return new KeystoneAssembler(ks);
    }

    @Override
    public String name() {
        return "keystone";
    }

    @Override
    public String describe() {
        return "keystone (" + keystone.describe() + ", in-process via JNA)";
    }

    @Override
    public byte[] assemble(String listing, long address, Map<String, Long> symbols, Mode mode) throws AsmException {
        KeystoneDialect.Rewritten r = KeystoneDialect.rewrite(listing, address, symbols, mode);
        return engine(mode).asm(r.listing(), address, Symbols.overlay(symbols, r.absolute()));
    }

    /** Several listings: rewritten one by one, then assembled in as few ks_asm calls as {@link KeystoneBatches} can. */
    @Override
    public List<byte[]> assembleAll(List<Job> jobs, Map<String, Long> symbols, Mode mode) throws AsmException {
        List<KeystoneBatches.Item> items = new ArrayList<>(jobs.size());
        for (int i = 0; i < jobs.size(); i++) {
            Job j = jobs.get(i);
            try {
                KeystoneDialect.Rewritten r = KeystoneDialect.rewrite(j.listing(), j.address(), symbols, mode);
                items.add(new KeystoneBatches.Item(i, j.name(), r.listing(), j.address(), r.absolute()));
            } catch (AsmException e) {
                throw new AsmException(j.name() + ": " + e.getMessage(), e);
            }
        }
        Keystone.Engine e = engine(mode);
        return KeystoneBatches.assemble(items, symbols, e::asm);
    }

    private Keystone.Engine engine(Mode mode) throws AsmException {
        Keystone.Engine e = engines.get(mode);
        if (e == null) {
            e = keystone.open(KeystoneNative.KS_ARCH_X86, mode == Mode.BITS64 ? KeystoneNative.KS_MODE_64
                    : KeystoneNative.KS_MODE_32);
            e.option(KeystoneNative.KS_OPT_SYNTAX, KeystoneNative.KS_OPT_SYNTAX_ATT);
            e.useResolver();
            engines.put(mode, e);
        }
        return e;
    }

    @Override
    public void close() {
        engines.values().forEach(Keystone.Engine::close);
        engines.clear();
    }
}
