package dev.idtgen.kernel;

import dev.idtgen.config.ConfigException;
import dev.idtgen.config.ConfigNode;
import dev.idtgen.config.MapNode;
import dev.idtgen.config.YamlDoc;
import dev.idtgen.source.DebArchive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code kernel-patch/<kernel>/kernel.yaml}: the Debian package that holds a kernel series' source, where its
 * tarball is, and, for a package outside the machine's apt suites, the archive suite to fetch it from:
 * <pre>
 * package: linux-source-7.3                  # the Debian package (a Debian package name)
 * tarball: /usr/src/linux-source-7.3.tar.xz  # the tarball's absolute path as the package installs it
 * archive: {uri: http://deb.debian.org/debian, suite: trixie-backports, component: main}   # optional
 * </pre>
 * Without {@code archive} the package is installed with the machine's apt ({@code apt-get install}) and the
 * tarball is at {@code tarball}. With {@code archive} (all three keys required: the archive's address, the suite,
 * the component) it is downloaded, never installed, with idtgen's private apt configuration (the one line
 * {@code deb URI SUITE COMPONENT}, {@link dev.idtgen.source.ArchiveSource}), the suite's newest version, and the
 * tarball is {@code tarball}'s path inside the unpacked .deb.
 */
public record KernelInfo(String series, String packageName, Path tarball, Optional<DebArchive> archive) {

    public static final String FILE = "kernel.yaml";

    private static final Pattern PACKAGE_NAME = Pattern.compile("[a-z0-9][a-z0-9+.-]+");

    /** Reads the kernel's file; a malformed one is a {@link dev.idtgen.config.ConfigException}. */
    public static KernelInfo read(Workspace ws) throws IOException {
        Path file = ws.patches().resolve(FILE);
        if (!Files.exists(file)) {
            throw new IOException("kernel " + ws.kernel() + " has no " + file + " (kernel-patch/ has a directory per "
                    + "kernel series)");
        }
        return read(ws.kernel(), file);
    }

    /** Reads {@code file} of kernel series {@code series}. */
    public static KernelInfo read(String series, Path file) throws IOException {
        return of(series, YamlDoc.read(file));
    }

    /** The kernel.yaml mapping {@code m} of kernel series {@code series}. */
    public static KernelInfo of(String series, MapNode m) throws ConfigException {
        m.allowOnly("package", "tarball", "archive");
        ConfigNode pkg = m.get("package");
        if (!PACKAGE_NAME.matcher(pkg.asString()).matches()) {
            throw pkg.bad("package must be a Debian package name, like linux-source-6.12, not '" + pkg.asString()
                    + "'");
        }
        ConfigNode tarball = m.get("tarball");
        if (!tarball.asString().startsWith("/")) {
            throw tarball.bad("tarball must be the absolute path the package installs its tarball at, like "
                    + "/usr/src/linux-source-6.12.tar.xz, not '" + tarball.asString() + "'");
        }
        Optional<DebArchive> archive = m.keys().contains("archive") ? Optional.of(DebArchive.read(m.map("archive")))
                : Optional.empty();
        return new KernelInfo(series, pkg.asString(), Path.of(tarball.asString()), archive);
    }

    /** The tarball in a directory the package was unpacked in ({@code tarball} relative to its root). */
    public Path tarballIn(Path root) {
        return root.resolve(tarball.getRoot().relativize(tarball));
    }
}
