package dev.idtgen.kernel;

import dev.idtgen.proc.Step;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The Debian source package of a kernel series, as {@code kernel-patch/<kernel>/kernel.yaml}
 * names it ({@code package}, {@code tarball}): finds the tarball (installing the
 * package when it is missing and we may), detects its Debian version and
 * extracts it once into the workspace as the stock tree. A stamp records
 * which tarball the tree came from; a new point release is extracted afresh.
 */
public final class KernelSource {

    private static final String STAMP = ".idtgen-source";

    private final Workspace ws;
    private final PrintWriter out;
    private final String pkg;
    private final Path tarball;

    public KernelSource(Workspace ws, PrintWriter out) throws IOException {
        this.ws = ws;
        this.out = out;
        KernelInfo info = KernelInfo.read(ws);
        this.pkg = info.packageName();
        this.tarball = info.tarball();
    }

    /** The Debian version of the installed package, e.g. 6.1.176-1. */
    public String version() throws IOException, InterruptedException, Step.Failed {
        ensureInstalled();
        Step.Finished r = new Step("dpkg-query", ws.log("kernel-source"), null).keepLines()
                .run(List.of("dpkg-query", "-W", "-f=${Version}", pkg));
        return String.join("", r.lines()).strip();
    }

    private void ensureInstalled() throws IOException, InterruptedException, Step.Failed {
        if (Files.isRegularFile(tarball)) {
            return;
        }
        out.println("kernel: " + tarball + " is missing, installing " + pkg + " (apt-get)");
        out.flush();
        Step s = new Step("apt-get install " + pkg, ws.log("apt"), out).timeout(1800);
        s.run(List.of("apt-get", "install", "-y", "-q", pkg));
        if (!Files.isRegularFile(tarball)) {
            throw s.failure(pkg + " is installed but " + tarball + " is not there");
        }
    }

    /**
     * The extracted tarball, extracting it when it is missing or from another tarball. Nothing is built in it:
     * the stock and the generated tree are hard-linked copies (see TreePreparer).
     */
    public Path pristineTree() throws IOException, InterruptedException, Step.Failed {
        String identity = version() + " " + Files.size(tarball) + " " + Files.getLastModifiedTime(tarball).toMillis();
        Path src = ws.pristine();
        Path stamp = src.resolve(STAMP);
        if (Files.isRegularFile(stamp) && Files.readString(stamp).strip().equals(identity)) {
            return src;
        }
        out.println("kernel: extracting " + tarball + " (" + identity.split(" ")[0] + ") into " + src);
        out.flush();
        Path tmp = src.resolveSibling("src.extracting");
        dev.idtgen.io.FileTrees.delete(tmp);
        Files.createDirectories(tmp);
        new Step("extract", ws.log("extract"), out).timeout(900)
                .run(List.of("tar", "-xJf", tarball.toString(), "-C", tmp.toString(), "--strip-components=1"));
        Files.writeString(tmp.resolve(STAMP), identity + "\n");
        // both variants' trees hard-link this one: they go when it is replaced
        dev.idtgen.io.FileTrees.delete(ws.source(Variant.GENERATED));
        dev.idtgen.io.FileTrees.delete(ws.source(Variant.STOCK));
        dev.idtgen.io.FileTrees.delete(src);
        Files.move(tmp, src);
        return src;
    }
}
