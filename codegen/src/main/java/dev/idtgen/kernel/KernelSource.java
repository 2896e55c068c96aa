package dev.idtgen.kernel;

import dev.idtgen.proc.Step;
import dev.idtgen.source.ArchiveSource;
import dev.idtgen.source.DebArchive;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The Debian source package of a kernel series, as {@code kernel-patch/<kernel>/kernel.yaml}
 * names it ({@code package}, {@code tarball}, {@code archive}): finds the tarball (installing the
 * package when it is missing and we may, or, with {@code archive}, downloading the suite's newest
 * version into {@code work/apt/<kernel>/}), detects its Debian version and
 * extracts it once into the workspace as the stock tree. A stamp records
 * which tarball the tree came from; a new point release is extracted afresh.
 */
public final class KernelSource {

    private static final String STAMP = ".idtgen-source";

    private final Workspace ws;
    private final PrintWriter out;
    private final KernelInfo info;

    /** Where the tarball is and the Debian version of the package it came from. */
    private record Located(String version, Path tarball) {
    }

    public KernelSource(Workspace ws, PrintWriter out) throws IOException {
        this.ws = ws;
        this.out = out;
        this.info = KernelInfo.read(ws);
    }

    /** The Debian version of the package, e.g. 6.1.176-1. */
    public String version() throws IOException, InterruptedException, Step.Failed {
        return locate().version();
    }

    private Located locate() throws IOException, InterruptedException, Step.Failed {
        return info.archive().isPresent() ? fromArchive(info.archive().get()) : installed();
    }

    /** The package installed with the machine's apt: its tarball, its version as dpkg knows it. */
    private Located installed() throws IOException, InterruptedException, Step.Failed {
        ensureInstalled();
        Step.Finished r = new Step("dpkg-query", ws.log("kernel-source"), null).keepLines()
                .run(List.of("dpkg-query", "-W", "-f=${Version}", info.packageName()));
        return new Located(String.join("", r.lines()).strip(), info.tarball());
    }

    private void ensureInstalled() throws IOException, InterruptedException, Step.Failed {
        Path tarball = info.tarball();
        if (Files.isRegularFile(tarball)) {
            return;
        }
        String pkg = info.packageName();
        out.println("kernel: " + tarball + " is missing, installing " + pkg + " (apt-get)");
        out.flush();
        Step s = new Step("apt-get install " + pkg, ws.log("apt"), out).timeout(1800);
        s.run(List.of("apt-get", "install", "-y", "-q", pkg));
        if (!Files.isRegularFile(tarball)) {
            throw s.failure(pkg + " is installed but " + tarball + " is not there");
        }
    }

    /** The package downloaded from kernel.yaml's archive suite: the tarball inside it, the .deb's version. */
    private Located fromArchive(DebArchive archive) throws IOException, InterruptedException, Step.Failed {
        Path kernelYaml = ws.patches().resolve(KernelInfo.FILE);
        ArchiveSource source = new ArchiveSource(ws.perKernel("apt"), ws.log("archive"), out, info.packageName(),
                archive, kernelYaml.toString());
        ArchiveSource.Fetched f = source.fetch();
        Path tarball = info.tarballIn(f.root());
        if (!Files.isRegularFile(tarball)) {
            throw new Step.Failed(info.packageName() + " " + f.version() + " from " + archive.describe()
                    + " has no " + info.tarball() + " (looked for " + tarball + "); see tarball in " + kernelYaml,
                    ws.log("archive"));
        }
        return new Located(f.version(), tarball);
    }

    /**
     * The extracted tarball, extracting it when it is missing or from another tarball. Nothing is built in it:
     * the stock and the generated tree are hard-linked copies (see TreePreparer).
     */
    public Path pristineTree() throws IOException, InterruptedException, Step.Failed {
        Located at = locate();
        Path tarball = at.tarball();
        String identity = at.version() + " " + Files.size(tarball) + " "
                + Files.getLastModifiedTime(tarball).toMillis();
        Path src = ws.pristine();
        Path stamp = src.resolve(STAMP);
        if (Files.isRegularFile(stamp) && Files.readString(stamp).strip().equals(identity)) {
            return src;
        }
        out.println("kernel: extracting " + tarball + " (" + at.version() + ") into " + src);
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
