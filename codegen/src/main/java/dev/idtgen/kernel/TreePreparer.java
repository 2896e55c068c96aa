package dev.idtgen.kernel;

import dev.idtgen.proc.Step;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Makes the source tree of a variant. Both trees are hard-linked copies of
 * the extracted tarball (patch replaces the files it changes, so the
 * extraction stays pristine). The stock tree carries the test series
 * (kernel-patch/KERNEL/tests: in-kernel tests that touch no entry code);
 * the generated tree carries kernel-patch/KERNEL/series, the user's series
 * kernel-patch/KERNEL/local (when it has a series file), the extra series,
 * then the test series. A tree is made in a staging directory and renamed
 * into place only when every patch applied; then the generated files are
 * copied in, each only when its bytes changed, so kbuild rebuilds only what
 * changed: the tests' table (tests/) of the directory the caller names into
 * each tree (for the stock tree, the rendering of the stock kernel's own
 * table), the rest of generated/KERNEL into the generated tree only.
 */
public final class TreePreparer {

    /** In a prepared tree: what it was made from (the extraction and the digest of every series applied). */
    static final String STAMP = ".idtgen-series";

    /**
     * kernel-patch/KERNEL/local: the user's own series (the C handlers of the vectors they add to the table),
     * applied to the generated tree after kernel-patch/KERNEL/series when it has a {@code series} file.
     */
    public static final String LOCAL = "local";

    private final Workspace ws;
    private final PrintWriter out;

    public TreePreparer(Workspace ws, PrintWriter out) {
        this.ws = ws;
        this.out = out;
    }

    /**
     * The tree of {@code v} with its series applied and {@code generatedDir}'s files in it (the stock tree takes
     * only its tests' table, {@code generatedDir/tests}: pass the stock kernel's own rendering there).
     */
    public Path prepare(Variant v, Path generatedDir) throws IOException, InterruptedException, Step.Failed {
        Path src = patched(v);
        int copied = copyGenerated(generatedDir.resolve(Workspace.TESTS), src, java.util.Set.of());
        if (v == Variant.GENERATED) {
            copied += copyGenerated(generatedDir, src, java.util.Set.of(Workspace.TESTS));
        }
        out.println("kernel: " + v.cliName() + " tree ready, " + copied + " generated file" + (copied == 1 ? "" : "s")
                + " changed");
        return src;
    }

    /**
     * The tree of {@code v} with its series applied, made when missing or made from other series; its generated
     * files are left as they are (what configuring needs).
     */
    public Path patched(Variant v) throws IOException, InterruptedException, Step.Failed {
        Path pristine = new KernelSource(ws, out).pristineTree();
        List<PatchSeries> series = new java.util.ArrayList<>();
        if (v == Variant.GENERATED) {
            series.add(PatchSeries.read(ws.patches()));
            Path local = ws.patches().resolve(LOCAL);
            if (Files.isRegularFile(local.resolve("series"))) {
                series.add(PatchSeries.read(local));
            }
            for (Path extra : ws.extraSeries()) {
                series.add(PatchSeries.read(extra));
            }
        }
        if (Files.isRegularFile(ws.testSeries().resolve("series"))) {
            series.add(PatchSeries.read(ws.testSeries()));
        }
        StringBuilder identity0 = new StringBuilder(Files.readString(pristine.resolve(".idtgen-source")).strip());
        for (PatchSeries ps : series) {
            identity0.append(' ').append(ps.digest());
        }
        String identity = identity0.toString();
        Path src = ws.source(v);
        Path stamp = src.resolve(STAMP);
        if (!Files.isRegularFile(stamp) || !Files.readString(stamp).strip().equals(identity)) {
            Path staging = src.resolveSibling("src.preparing");
            dev.idtgen.io.FileTrees.delete(staging);
            Files.createDirectories(staging.getParent());
            out.println("kernel: making the " + v.cliName() + " tree " + src);
            out.flush();
            Path log = ws.log("prepare-" + v.cliName());
            Files.deleteIfExists(log);
            new Step("copy", log, out).run(List.of("cp", "-al", pristine.toString(), staging.toString()));
            Files.delete(staging.resolve(".idtgen-source"));
            try {
                for (PatchSeries ps : series) {
                    ps.apply(staging, log, out);
                }
            } catch (Step.Failed e) {
                dev.idtgen.io.FileTrees.delete(staging);
                throw e;
            }
            Files.writeString(staging.resolve(STAMP), identity + "\n");
            dev.idtgen.io.FileTrees.delete(src);
            Files.move(staging, src);
        }
        return src;
    }

    /** Copies every file of the generated directory into the tree, only when its bytes differ. */
    public static int copyGenerated(Path from, Path tree) throws IOException {
        return copyGenerated(from, tree, java.util.Set.of(Workspace.TESTS));
    }

    /**
     * Copies the files of {@code from}, except those under its top-level directories {@code except}, into the
     * tree, each only when its bytes differ. A missing {@code from} copies nothing.
     */
    static int copyGenerated(Path from, Path tree, java.util.Set<String> except) throws IOException {
        if (!Files.isDirectory(from)) {
            return 0;
        }
        java.util.Map<String, byte[]> files = new java.util.LinkedHashMap<>();
        try (Stream<Path> s = Files.walk(from)) {
            for (Path f : s.filter(Files::isRegularFile)
                    .filter(f -> !except.contains(from.relativize(f).getName(0).toString())).sorted().toList()) {
                files.put(from.relativize(f).toString(), Files.readAllBytes(f));
            }
        }
        return (int) dev.idtgen.render.OutputWriter.write(tree, files).stream()
                .filter(w -> w.change() != dev.idtgen.render.OutputWriter.Change.UNCHANGED).count();
    }
}
