package dev.idtgen.kernel;

import dev.idtgen.config.MapNode;
import dev.idtgen.config.YamlDoc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code kernel-patch/<kernel>/kernel.yaml}: the Debian package that holds a
 * kernel series' source and where its tarball lands.
 */
public record KernelInfo(String series, String packageName, Path tarball) {

    public static final String FILE = "kernel.yaml";

    /** Reads the kernel's file; a malformed one is a {@link dev.idtgen.config.ConfigException}. */
    public static KernelInfo read(Workspace ws) throws IOException {
        Path file = ws.patches().resolve(FILE);
        if (!Files.exists(file)) {
            throw new IOException("kernel " + ws.kernel() + " has no " + file + " (kernel-patch/ has a directory per "
                    + "kernel series)");
        }
        return read(ws.kernel(), file);
    }

    /** Reads {@code file} of kernel series {@code series}: {@code package: NAME} and {@code tarball: PATH}. */
    public static KernelInfo read(String series, Path file) throws IOException {
        MapNode m = YamlDoc.read(file).allowOnly("package", "tarball");
        return new KernelInfo(series, m.string("package"), Path.of(m.string("tarball")));
    }
}
