package dev.idtgen.kernel;

import dev.idtgen.io.Digests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Whether two builds made the same bootable image: the whole bzImage (setup, decompressor and compressed
 * vmlinux) byte for byte, from the same .config. When they did, booting both proves nothing that booting one
 * does not: the second boot would run the very same bytes.
 *
 * @param identical whether the images are byte-identical
 * @param proof     what says so (the image's size and SHA-256), or why not
 */
public record ImageIdentity(boolean identical, String proof) {

    /** Compares two images and their .config files, given as bytes. */
    public static ImageIdentity of(byte[] imageA, byte[] imageB, byte[] configA, byte[] configB) {
        if (!Arrays.equals(configA, configB)) {
            return new ImageIdentity(false, "the .config files differ");
        }
        if (!Arrays.equals(imageA, imageB)) {
            return new ImageIdentity(false, "the bzImages differ (" + imageA.length + " and " + imageB.length
                    + " bytes)");
        }
        return new ImageIdentity(true, "bzImage byte-identical, " + imageA.length + " bytes, sha256 "
                + Digests.sha256(imageA).substring(0, 16) + ", the same .config");
    }

    /** Compares the bzImage and .config of two builds. */
    public static ImageIdentity of(KernelBuilder.Build a, KernelBuilder.Build b) throws IOException {
        return of(Files.readAllBytes(a.bzImage()), Files.readAllBytes(b.bzImage()), config(a), config(b));
    }

    /** For each arch with a stock and a generated build among {@code builds}: whether their images are the same. */
    public static java.util.Map<dev.idtgen.model.Arch, ImageIdentity> byArch(java.util.List<KernelBuilder.Build> builds)
            throws IOException {
        java.util.Map<dev.idtgen.model.Arch, ImageIdentity> images = new java.util.LinkedHashMap<>();
        for (KernelBuilder.Build s : builds) {
            for (KernelBuilder.Build g : builds) {
                if (s.variant() == Variant.STOCK && g.variant() == Variant.GENERATED && s.arch() == g.arch()) {
                    images.put(s.arch(), of(s, g));
                }
            }
        }
        return images;
    }

    private static byte[] config(KernelBuilder.Build b) throws IOException {
        Path c = b.buildDir().resolve(".config");
        return Files.readAllBytes(c);
    }
}
