package dev.idtgen.kernel;

import dev.idtgen.model.Arch;

import java.nio.file.Path;
import java.util.List;

/**
 * Where kernel trees, build directories and logs live (git-ignored). Both
 * variants use the same shape, {@code <variant>/src} next to
 * {@code <variant>/build-<arch>-<profile>}, so that with CCACHE_BASEDIR set
 * to the kernel directory ccache sees the same relative paths for both and
 * the second variant's build reuses the first one's objects.
 * {@code extraSeries} are more quilt-style series applied to the generated
 * tree after kernel-patch/ (a test fixture's handler, a vendor's vectors).
 */
public record Workspace(Path root, Path project, List<Path> extraSeries) {

    /** A workspace whose generated tree carries kernel-patch/series only. */
    public Workspace(Path root, Path project) {
        this(root, project, List.of());
    }

    public Path kernelDir() {
        return root.resolve("kernel");
    }

    public Path source(Variant v) {
        return kernelDir().resolve(v.cliName()).resolve("src");
    }

    public Path build(Variant v, Arch a, Profile p) {
        return kernelDir().resolve(v.cliName()).resolve("build-" + a.yamlName() + "-" + p.cliName());
    }

    /** The .config shared by both variants of an (arch, profile). */
    public Path config(Arch a, Profile p) {
        return kernelDir().resolve("configs").resolve(a.yamlName() + "-" + p.cliName());
    }

    public Path logs() {
        return root.resolve("logs");
    }

    public Path log(String name) {
        return logs().resolve(name + ".log");
    }

    public Path patches() {
        return project.resolve("kernel-patch");
    }

    public Path generated() {
        return project.resolve("generated");
    }

    public static String makeArch(Arch a) {
        return a == Arch.X86_64 ? "x86_64" : "i386";
    }
}
