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
 * ks_errno, ks_strerror, ks_close) on whatever target the library found has:
 * here the Maven Central native without X86, so ARM and ARM64. Skipped, with
 * what was searched, when no libkeystone can be found at all.
 */
class KeystoneNativeTest {

    static Keystone ks;

    @BeforeAll
    static void load() {
        ks = KeystoneLibraries.any();
    }

    private static void need(int arch) {
        assumeTrue(ks != null, KeystoneLibraries::reason);
        assumeTrue(ks.archSupported(arch), () -> ks.library() + " has no " + Keystone.archName(arch) + " target");
    }

    @Test
    void reportsVersionAndTargets() {
        assumeTrue(ks != null, KeystoneLibraries::reason);
        assertTrue(ks.version().matches("\\d+\\.\\d+"), ks.version());
        assertFalse(ks.architectures().isEmpty(), ks.describe());
        assertTrue(ks.describe().contains("targets: "), ks.describe());
    }

    @Test
    void armThroughKsAsm() throws AsmException {
        need(KeystoneNative.KS_ARCH_ARM);
        try (Keystone.Engine e = ks.open(KeystoneNative.KS_ARCH_ARM, KeystoneNative.KS_MODE_ARM)) {
            assertEquals("0100a0e3", HexFormat.of().formatHex(e.asm("mov r0, #1", 0, Map.of())));
            assertEquals(0, e.asm("", 0, Map.of()).length);
        }
    }

    @Test
    void arm64ResolverAt64BitAddress() throws AsmException {
        need(KeystoneNative.KS_ARCH_ARM64);
        try (Keystone.Engine e = ks.open(KeystoneNative.KS_ARCH_ARM64, KeystoneNative.KS_MODE_LITTLE_ENDIAN)) {
            e.useResolver();
            long at = 0xffff800000001000L;
            // b target: imm26 = (target - at) / 4 = 0x400 -> 0x14000400
            byte[] b = e.asm("b target", at, Map.of("target", at + 0x1000));
            assertEquals("00040014", HexFormat.of().formatHex(b));
            AsmException missing = assertThrows(AsmException.class, () -> e.asm("b nowhere", at, Map.of()));
            assertTrue(missing.getMessage().startsWith("ks_asm: "), missing.getMessage());
        }
    }

    @Test
    void x86IsCheckedBeforeUse() {
        assumeTrue(ks != null, KeystoneLibraries::reason);
        if (ks.archSupported(KeystoneNative.KS_ARCH_X86)) {
            return; // a full library: the contract suite runs against it
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
