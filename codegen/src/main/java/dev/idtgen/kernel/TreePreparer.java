package dev.idtgen.kernel;

import dev.idtgen.proc.Step;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Makes the source tree of a variant. The stock tree is the extracted
 * tarball. The generated tree is a hard-linked copy of it (patch replaces
 * the files it changes, so the stock tree stays pristine) with the series
 * applied, made in a staging directory and renamed into place only when
 * every patch applied; then the generated files are copied in, each only
 * when its bytes changed, so kbuild rebuilds only what changed.
 */
public final class TreePreparer {

    private static final String STAMP = ".idtgen-series";

    private final Workspace ws;
    private final PrintWriter out;

    public TreePreparer(Workspace ws, PrintWriter out) {
        this.ws = ws;
        this.out = out;
    }

    public Path prepare(Variant v, Path generatedDir) throws IOException, InterruptedException, Step.Failed {
        Path stock = new KernelSource(ws, out).stockTree();
        if (v == Variant.STOCK) {
            return stock;
        }
        List<PatchSeries> series = new java.util.ArrayList<>();
        series.add(PatchSeries.read(ws.patches()));
        for (Path extra : ws.extraSeries()) {
            series.add(PatchSeries.read(extra));
        }
        StringBuilder identity0 = new StringBuilder(Files.readString(stock.resolve(".idtgen-source")).strip());
        for (PatchSeries ps : series) {
            identity0.append(' ').append(ps.digest());
        }
        String identity = identity0.toString();
        Path src = ws.source(Variant.GENERATED);
        Path stamp = src.resolve(STAMP);
        if (!Files.isRegularFile(stamp) || !Files.readString(stamp).strip().equals(identity)) {
            Path staging = src.resolveSibling("src.preparing");
            Trees.delete(staging);
            Files.createDirectories(staging.getParent());
            out.println("kernel: making the generated tree " + src);
            out.flush();
            Path log = ws.log("prepare-generated");
            Files.deleteIfExists(log);
            new Step("copy", log, out).run(List.of("cp", "-al", stock.toString(), staging.toString()));
            Files.delete(staging.resolve(".idtgen-source"));
            try {
                for (PatchSeries ps : series) {
                    ps.apply(staging, log, out);
                }
            } catch (Step.Failed e) {
                Trees.delete(staging);
                throw e;
            }
            Files.writeString(staging.resolve(STAMP), identity + "\n");
            Trees.delete(src);
            Files.move(staging, src);
        }
        int copied = copyGenerated(generatedDir, src);
        out.println("kernel: generated tree ready, " + copied + " generated file" + (copied == 1 ? "" : "s")
                + " changed");
        return src;
    }

    /** Copies every file of the generated directory into the tree, only when its bytes differ. */
    public static int copyGenerated(Path from, Path tree) throws IOException {
        java.util.Map<String, byte[]> files = new java.util.LinkedHashMap<>();
        try (Stream<Path> s = Files.walk(from)) {
            for (Path f : s.filter(Files::isRegularFile).sorted().toList()) {
                files.put(from.relativize(f).toString(), Files.readAllBytes(f));
            }
        }
        return (int) dev.idtgen.render.OutputWriter.write(tree, files).stream()
                .filter(w -> w.change() != dev.idtgen.render.OutputWriter.Change.UNCHANGED).count();
    }
}
