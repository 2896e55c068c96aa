package dev.idtgen.kernel;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two builds share one boot only when their whole images and their .config files are the same bytes. */
class ImageIdentityTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void theSameImageFromTheSameConfigIsIdenticalAndSaysHowItKnows() {
        ImageIdentity id = ImageIdentity.of(b("MZ\u0000kernel"), b("MZ\u0000kernel"), b("CONFIG_X=y\n"),
                b("CONFIG_X=y\n"));
        assertTrue(id.identical());
        assertEquals("bzImage byte-identical, 9 bytes, sha256 "
                + dev.idtgen.io.Digests.sha256(b("MZ\u0000kernel")).substring(0, 16) + ", the same .config",
                id.proof());
    }

    @Test
    void oneDifferingByteOrADifferentConfigIsNotIdentical() {
        ImageIdentity bytes = ImageIdentity.of(b("MZ\u0000kernel"), b("MZ\u0000kernal"), b("c"), b("c"));
        assertFalse(bytes.identical());
        assertEquals("the bzImages differ (9 and 9 bytes)", bytes.proof());
        ImageIdentity config = ImageIdentity.of(b("same"), b("same"), b("CONFIG_X=y\n"), b("CONFIG_X=m\n"));
        assertFalse(config.identical());
        assertEquals("the .config files differ", config.proof());
    }
}
