package dev.idtgen.asm;

import java.util.EnumMap;
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

    /** The backend, or an exception whose message is the exact reason it is unavailable. */
    public static KeystoneAssembler open() throws AsmException {
        return open(Keystone.load());
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
        Keystone.Engine e = engines.get(mode);
        if (e == null) {
            e = keystone.open(KeystoneNative.KS_ARCH_X86, mode == Mode.BITS64 ? KeystoneNative.KS_MODE_64
                    : KeystoneNative.KS_MODE_32);
            e.option(KeystoneNative.KS_OPT_SYNTAX, KeystoneNative.KS_OPT_SYNTAX_ATT);
            e.useResolver();
            engines.put(mode, e);
        }
        KeystoneDialect.Rewritten r = KeystoneDialect.rewrite(listing, address, symbols, mode);
        return e.asm(r.listing(), address, r.symbols());
    }

    @Override
    public void close() {
        engines.values().forEach(Keystone.Engine::close);
        engines.clear();
    }
}
