package dev.idtgen.kernel;

import dev.idtgen.proc.Step;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Debian's linux-source-6.1: finds the tarball (installing the package when
 * it is missing and we may), detects its Debian version and extracts it once
 * into the workspace as the stock tree. A stamp records which tarball the
 * tree came from; a new point release is extracted afresh.
 */
public final class KernelSource {

    public static final String PACKAGE = "linux-source-6.1";
    public static final Path TARBALL = Path.of("/usr/src/linux-source-6.1.tar.xz");
    private static final String STAMP = ".idtgen-source";

    private final Workspace ws;
    private final PrintWriter out;

    public KernelSource(Workspace ws, PrintWriter out) {
        this.ws = ws;
        this.out = out;
    }

    /** The Debian version of the installed package, e.g. 6.1.176-1. */
    public String version() throws IOException, InterruptedException, Step.Failed {
        ensureInstalled();
        Step.Result r = new Step("dpkg-query", ws.log("kernel-source"), null).keepLines()
                .run(List.of("dpkg-query", "-W", "-f=${Version}", PACKAGE));
        return String.join("", r.lines()).strip();
    }

    private void ensureInstalled() throws IOException, InterruptedException, Step.Failed {
        if (Files.isRegularFile(TARBALL)) {
            return;
        }
        out.println("kernel: " + TARBALL + " is missing, installing " + PACKAGE + " (apt-get)");
        out.flush();
        Step s = new Step("apt-get install " + PACKAGE, ws.log("apt"), out).timeout(1800);
        s.run(List.of("apt-get", "install", "-y", "-q", PACKAGE));
        if (!Files.isRegularFile(TARBALL)) {
            throw s.failure(PACKAGE + " is installed but " + TARBALL + " is not there");
        }
    }

    /** The extracted stock tree, extracting it when it is missing or from another tarball. */
    public Path stockTree() throws IOException, InterruptedException, Step.Failed {
        String identity = version() + " " + Files.size(TARBALL) + " " + Files.getLastModifiedTime(TARBALL).toMillis();
        Path src = ws.source(Variant.STOCK);
        Path stamp = src.resolve(STAMP);
        if (Files.isRegularFile(stamp) && Files.readString(stamp).strip().equals(identity)) {
            return src;
        }
        out.println("kernel: extracting " + TARBALL + " (" + identity.split(" ")[0] + ") into " + src);
        out.flush();
        Path tmp = src.resolveSibling("src.extracting");
        Trees.delete(tmp);
        Files.createDirectories(tmp);
        new Step("extract", ws.log("extract"), out).timeout(900)
                .run(List.of("tar", "-xJf", TARBALL.toString(), "-C", tmp.toString(), "--strip-components=1"));
        Files.writeString(tmp.resolve(STAMP), identity + "\n");
        // the generated tree hard-links the stock one: both go when the stock tree is replaced
        Trees.delete(ws.source(Variant.GENERATED));
        Trees.delete(src);
        Files.move(tmp, src);
        return src;
    }
}
