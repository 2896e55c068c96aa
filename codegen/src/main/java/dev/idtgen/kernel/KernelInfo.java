package dev.idtgen.kernel;

import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code kernel-patch/<kernel>/kernel.yaml}: the Debian package that holds a
 * kernel series' source and where its tarball lands.
 */
public record KernelInfo(String series, String packageName, Path tarball) {

    public static final String FILE = "kernel.yaml";

    public static KernelInfo read(Workspace ws) throws IOException {
        Path file = ws.patches().resolve(FILE);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IOException("kernel " + ws.kernel() + " has no " + file + " (kernel-patch/ has a directory per "
                    + "kernel series)");
        }
        Object doc;
        try {
            doc = new Load(LoadSettings.builder().setLabel(file.toString()).build()).loadFromString(text);
        } catch (YamlEngineException e) {
            throw new IOException(file + ": " + e.getMessage());
        }
        if (!(doc instanceof Map<?, ?> m) || !(m.get("package") instanceof String pkg)
                || !(m.get("tarball") instanceof String tarball)) {
            throw new IOException(file + ": needs package: NAME and tarball: PATH");
        }
        return new KernelInfo(ws.kernel(), pkg, Path.of(tarball));
    }
}
