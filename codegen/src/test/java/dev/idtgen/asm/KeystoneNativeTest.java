package dev.idtgen.asm;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The JNA layer to libkeystone (ks_version, ks_arch_supported, ks_open,
 * ks_option, ks_asm with a 64-bit address and the symbol resolver, ks_free,
 * ks_errno, ks_strerror, ks_close) on a target the library found has: X86
 * with ../shared/keystone's library (what CI gives through KEYSTONE_LIBRARY),
 * ARM64/ARM with the Maven Central native. Skipped, with what was searched,
 * when no libkeystone can be found at all.
 */
class KeystoneNativeTest {

    static Keystone ks;

    @BeforeAll
    static void load() {
        ks = KeystoneLibraries.any();
    }

    private static void needLibrary() {
        assumeTrue(ks != null, KeystoneLibraries::reason);
    }

    @Test
    void reportsVersionAndTargets() {
        needLibrary();
        assertTrue(ks.version().matches("\\d+\\.\\d+"), ks.version());
        assertFalse(ks.architectures().isEmpty(), ks.describe());
        assertTrue(ks.describe().contains("targets: "), ks.describe());
    }

    /** ks_asm, ks_free and an empty input, on a target the library has (X86 first, else ARM64, else ARM). */
    @Test
    void ksAsmEncodes() throws AsmException {
        needLibrary();
        if (ks.archSupported(KeystoneNative.KS_ARCH_X86)) {
            try (Keystone.Engine e = ks.open(KeystoneNative.KS_ARCH_X86, KeystoneNative.KS_MODE_64)) {
                assertEquals("b801000000", HexFormat.of().formatHex(e.asm("mov eax, 1", 0, Map.of())));
                e.option(KeystoneNative.KS_OPT_SYNTAX, KeystoneNative.KS_OPT_SYNTAX_ATT);
                assertEquals("48c7c0ffffffff", HexFormat.of().formatHex(e.asm("movq $-1, %rax", 0, Map.of())));
                assertEquals(0, e.asm("", 0, Map.of()).length);
            }
        } else if (ks.archSupported(KeystoneNative.KS_ARCH_ARM64)) {
            try (Keystone.Engine e = ks.open(KeystoneNative.KS_ARCH_ARM64, KeystoneNative.KS_MODE_LITTLE_ENDIAN)) {
                assertEquals("200080d2", HexFormat.of().formatHex(e.asm("mov x0, #1", 0, Map.of())));
                assertEquals(0, e.asm("", 0, Map.of()).length);
            }
        } else {
            assumeTrue(ks.archSupported(KeystoneNative.KS_ARCH_ARM), () -> ks.describe() + ": no X86, ARM64 or ARM");
            try (Keystone.Engine e = ks.open(KeystoneNative.KS_ARCH_ARM, KeystoneNative.KS_MODE_ARM)) {
                assertEquals("0100a0e3", HexFormat.of().formatHex(e.asm("mov r0, #1", 0, Map.of())));
                assertEquals(0, e.asm("", 0, Map.of()).length);
            }
        }
    }

    /**
     * The symbol resolver callback and a 64-bit address (uint64_t through JNA): a branch to a resolved symbol,
     * and a symbol the resolver does not know is ks_asm's error, through ks_errno and ks_strerror.
     */
    @Test
    void resolverAt64BitAddress() throws AsmException {
        needLibrary();
        boolean x86 = ks.archSupported(KeystoneNative.KS_ARCH_X86);
        assumeTrue(x86 || ks.archSupported(KeystoneNative.KS_ARCH_ARM64), () -> ks.describe() + ": no X86 or ARM64");
        try (Keystone.Engine e = x86 ? ks.open(KeystoneNative.KS_ARCH_X86, KeystoneNative.KS_MODE_64)
                : ks.open(KeystoneNative.KS_ARCH_ARM64, KeystoneNative.KS_MODE_LITTLE_ENDIAN)) {
            e.useResolver();
            long at = x86 ? 0xffffffff81200000L : 0xffff800000001000L;
            if (x86) {
                e.option(KeystoneNative.KS_OPT_SYNTAX, KeystoneNative.KS_OPT_SYNTAX_ATT);
                // call target: e8, rel32 = target - (at + 5) = 0xffb
                assertEquals("e8fb0f0000", HexFormat.of().formatHex(e.asm("call target", at,
                        Map.of("target", at + 0x1000))));
            } else {
                // b target: imm26 = (target - at) / 4 = 0x400 -> 0x14000400
                assertEquals("00040014", HexFormat.of().formatHex(e.asm("b target", at,
                        Map.of("target", at + 0x1000))));
            }
            AsmException missing = assertThrows(AsmException.class, () -> e.asm(x86 ? "call nowhere" : "b nowhere",
                    at, Map.of()));
            assertTrue(missing.getMessage().startsWith("ks_asm: ") && missing.getMessage().contains("error "),
                    missing.getMessage());
        }
    }

    /** The backend opens only on a library with X86; on another it says which targets it has. */
    @Test
    void x86IsCheckedBeforeUse() throws AsmException {
        needLibrary();
        if (ks.archSupported(KeystoneNative.KS_ARCH_X86)) {
            try (KeystoneAssembler a = KeystoneAssembler.open(ks)) {
                assertEquals("keystone", a.name());
                assertTrue(a.describe().contains("targets: ") && a.describe().contains("X86"), a.describe());
                assertEquals("c3", HexFormat.of().formatHex(a.assemble("ret", 0x1000, Map.of(), Mode.BITS32)));
            }
            return;
        }
        AsmException e = assertThrows(AsmException.class, () -> KeystoneAssembler.open(ks));
        assertTrue(e.getMessage().contains("built without the X86 target: ks_arch_supported(KS_ARCH_X86) is false; "
                + "it has " + String.join(", ", ks.architectures())), e.getMessage());
        AsmException open = assertThrows(AsmException.class, () -> ks.open(KeystoneNative.KS_ARCH_X86,
                KeystoneNative.KS_MODE_64));
        assertTrue(open.getMessage().startsWith("ks_open(X86) failed: "), open.getMessage());
    }

    @Test
    void aMissingLibraryIsAReasonNotACrash() {
        Keystone none = Keystone.load("/nonexistent/libkeystone.so");
        assertFalse(none.loaded());
        assertEquals("/nonexistent/libkeystone.so does not exist", none.loadError());
        AsmException e = assertThrows(AsmException.class, () -> KeystoneAssembler.open(none));
        assertEquals("libkeystone not loaded: /nonexistent/libkeystone.so does not exist", e.getMessage());
        Keystone byName = Keystone.load("keystone-no-such-library");
        assertFalse(byName.loaded());
        assertTrue(byName.loadError().startsWith("no libkeystone-no-such-library.so on the library path"),
                byName.loadError());
    }
}
