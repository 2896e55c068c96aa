package dev.idtgen.asm;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.NativeLongByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * The part of Keystone's C API (keystone/keystone.h, 0.9) idtgen calls,
 * mapped with JNA. {@code size_t} is a {@link NativeLong} (LP64 and ILP32
 * Linux); C's {@code bool} results are read as a byte.
 */
public interface KeystoneNative extends Library {

    int KS_ARCH_ARM = 1;
    int KS_ARCH_ARM64 = 2;
    int KS_ARCH_MIPS = 3;
    int KS_ARCH_X86 = 4;
    int KS_ARCH_PPC = 5;
    int KS_ARCH_SPARC = 6;
    int KS_ARCH_SYSTEMZ = 7;
    int KS_ARCH_HEXAGON = 8;
    int KS_ARCH_EVM = 9;

    int KS_MODE_LITTLE_ENDIAN = 0;
    int KS_MODE_ARM = 1;
    int KS_MODE_32 = 1 << 2;
    int KS_MODE_64 = 1 << 3;

    int KS_OPT_SYNTAX = 1;
    int KS_OPT_SYM_RESOLVER = 2;
    int KS_OPT_SYNTAX_ATT = 1 << 1;

    int KS_ERR_OK = 0;
    int KS_ERR_ARCH = 2;

    /** {@code typedef bool (*ks_sym_resolver)(const char *symbol, uint64_t *value)}. */
    interface SymResolver extends Callback {
        byte invoke(String symbol, Pointer value);
    }

    int ks_version(IntByReference major, IntByReference minor);

    byte ks_arch_supported(int arch);

    int ks_open(int arch, int mode, PointerByReference ks);

    int ks_close(Pointer ks);

    int ks_option(Pointer ks, int type, NativeLong value);

    /** ks_option(KS_OPT_SYM_RESOLVER, callback): the value is the function pointer. */
    int ks_option(Pointer ks, int type, SymResolver resolver);

    int ks_asm(Pointer ks, String string, long address, PointerByReference encoding,
               NativeLongByReference encodingSize, NativeLongByReference statCount);

    void ks_free(Pointer p);

    int ks_errno(Pointer ks);

    String ks_strerror(int code);
}
