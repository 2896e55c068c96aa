package dev.idtgen.asm;

import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.NativeLongByReference;
import com.sun.jna.ptr.PointerByReference;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Keystone library (libkeystone) loaded through {@link KeystoneNative}:
 * the library named by {@code KEYSTONE_LIBRARY} (a path or a library name),
 * else {@code keystone} from the library path (jna.library.path,
 * LD_LIBRARY_PATH, the system's). {@link #load()} never throws: a library
 * that is missing or lacks a target is a {@link Keystone} with a reason.
 */
public final class Keystone {

    /** The environment variable naming the library. */
    public static final String ENV = "KEYSTONE_LIBRARY";

    private static final String[] ARCH_NAMES = {"", "ARM", "ARM64", "MIPS", "X86", "PPC", "SPARC", "SYSTEMZ",
        "HEXAGON", "EVM"};

    private final String library;
    private final KeystoneNative lib;
    private final String loadError;

    private Keystone(String library, KeystoneNative lib, String loadError) {
        this.library = library;
        this.lib = lib;
        this.loadError = loadError;
    }

    /**
     * Loads the library {@code KEYSTONE_LIBRARY} names in {@code env} (the process environment), else
     * {@code keystone}.
     */
    public static Keystone load(Map<String, String> env) {
        String named = env.get(ENV);
        return load(named == null || named.isBlank() ? "keystone" : named.strip(), named);
    }

    /** Loads a library by path or name (KEYSTONE_LIBRARY counts as unset in the reason it gives). */
    public static Keystone load(String nameOrPath) {
        return load(nameOrPath, null);
    }

    /** Loads a library by path or name; {@code named} is what KEYSTONE_LIBRARY is (null: unset), for the reason. */
    private static Keystone load(String nameOrPath, String named) {
        if (nameOrPath.contains("/") && !Files.isRegularFile(Path.of(nameOrPath))) {
            return new Keystone(nameOrPath, null, nameOrPath + " does not exist");
        }
        try {
            return new Keystone(nameOrPath, Native.load(nameOrPath, KeystoneNative.class), null);
        } catch (UnsatisfiedLinkError e) {
            String how = nameOrPath.contains("/") ? nameOrPath + " could not be loaded"
                    : "no lib" + nameOrPath + ".so on the library path (" + ENV + " is "
                    + (named == null ? "unset" : "'" + named + "'")
                    + "; jna.library.path, LD_LIBRARY_PATH and the system's were searched)";
            // JNA's message: "Unable to load library 'x':" then one line per place it tried
            String detail = e.getMessage() == null ? "" : e.getMessage().lines().skip(1).map(String::strip)
                    .filter(l -> !l.isEmpty()).findFirst().orElse("");
            return new Keystone(nameOrPath, null, how + (detail.isEmpty() ? "" : " (" + detail + ")"));
        }
    }

    public boolean loaded() {
        return lib != null;
    }

    /** Why the library is not loaded (null when it is). */
    public String loadError() {
        return loadError;
    }

    public String library() {
        return library;
    }

    /** ks_version() as "major.minor". */
    public String version() {
        IntByReference major = new IntByReference();
        IntByReference minor = new IntByReference();
        lib.ks_version(major, minor);
        return major.getValue() + "." + minor.getValue();
    }

    /** ks_arch_supported(arch). */
    public boolean archSupported(int arch) {
        return lib.ks_arch_supported(arch) != 0;
    }

    /** The names of the architectures this library has compiled in. */
    public List<String> architectures() {
        List<String> out = new ArrayList<>();
        for (int a = 1; a < ARCH_NAMES.length; a++) {
            if (archSupported(a)) {
                out.add(ARCH_NAMES[a]);
            }
        }
        return out;
    }

    public static String archName(int arch) {
        return arch > 0 && arch < ARCH_NAMES.length ? ARCH_NAMES[arch] : "arch " + arch;
    }

    /** ks_strerror(code). */
    public String strerror(int code) {
        return lib.ks_strerror(code);
    }

    /** Opens an engine (ks_open); close it. */
    public Engine open(int arch, int mode) throws AsmException {
        PointerByReference ref = new PointerByReference();
        int err = lib.ks_open(arch, mode, ref);
        if (err != KeystoneNative.KS_ERR_OK) {
            throw new AsmException("ks_open(" + archName(arch) + ") failed: " + lib.ks_strerror(err)
                    + " (error " + err + ")");
        }
        return new Engine(ref.getValue());
    }

    /** One ks_engine: options, a symbol resolver and ks_asm. Not thread-safe. */
    public final class Engine implements AutoCloseable {
        private Pointer ks;
        private Map<String, Long> symbols = Map.of();
        /** Held here so that the callback is not collected while the engine may call it. */
        private final KeystoneNative.SymResolver resolver = (symbol, value) -> {
            Long v = symbols.get(symbol);
            if (v == null) {
                return 0;
            }
            value.setLong(0, v);
            return 1;
        };

        private Engine(Pointer ks) {
            this.ks = ks;
        }

        /** ks_option(type, value). */
        public void option(int type, long value) throws AsmException {
            check(lib.ks_option(ks, type, new NativeLong(value)), "ks_option(" + type + ", " + value + ")");
        }

        /** Registers the resolver (KS_OPT_SYM_RESOLVER) that answers from the symbols of each call. */
        public void useResolver() throws AsmException {
            check(lib.ks_option(ks, KeystoneNative.KS_OPT_SYM_RESOLVER, resolver), "ks_option(SYM_RESOLVER)");
        }

        /** ks_asm at a 64-bit address; the resolver (when registered) answers from {@code syms}. */
        public byte[] asm(String text, long address, Map<String, Long> syms) throws AsmException {
            this.symbols = syms;
            PointerByReference enc = new PointerByReference();
            NativeLongByReference size = new NativeLongByReference();
            NativeLongByReference count = new NativeLongByReference();
            int rc = lib.ks_asm(ks, text, address, enc, size, count);
            try {
                if (rc != 0) {
                    int err = lib.ks_errno(ks);
                    throw new AsmException("ks_asm: " + lib.ks_strerror(err) + " (error " + err + ") after "
                            + count.getValue().longValue() + " statement(s)");
                }
                long n = size.getValue().longValue();
                return n == 0 || enc.getValue() == null ? new byte[0] : enc.getValue().getByteArray(0, (int) n);
            } finally {
                if (enc.getValue() != null) {
                    lib.ks_free(enc.getValue());
                }
                this.symbols = Map.of();
            }
        }

        private void check(int err, String what) throws AsmException {
            if (err != KeystoneNative.KS_ERR_OK) {
                throw new AsmException(what + " failed: " + lib.ks_strerror(err) + " (error " + err + ")");
            }
        }

        @Override
        public void close() {
            if (ks != null) {
                lib.ks_close(ks);
                ks = null;
            }
        }
    }

    /** A one-line description of the library: path, version, architectures. */
    public String describe() {
        if (!loaded()) {
            return library + ": " + loadError;
        }
        return library + " (Keystone " + version() + "; targets: " + String.join(", ", architectures()) + ")";
    }
}
