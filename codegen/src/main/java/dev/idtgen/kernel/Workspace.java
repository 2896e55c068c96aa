package dev.idtgen.kernel;

import dev.idtgen.model.Arch;

import java.nio.file.Path;
import java.util.List;

/**
 * Where one kernel series' trees, build directories and logs live
 * (git-ignored, {@code work/kernel/<kernel>/}, {@code work/logs/<kernel>/}),
 * and its project files ({@code kernel-patch/<kernel>/},
 * {@code generated/<kernel>/}). Both
 * variants use the same shape, {@code <variant>/src} next to
 * {@code <variant>/build-<arch>-<profile>}, so that with CCACHE_BASEDIR set
 * to the kernel directory ccache sees the same relative paths for both and
 * the second variant's build reuses the first one's objects.
 * {@code extraSeries} are more quilt-style series applied to the generated
 * tree after kernel-patch/ (a test fixture's handler, a vendor's vectors).
 */
public record Workspace(Path root, Path project, String kernel, List<Path> extraSeries) {

    /** A workspace whose generated tree carries kernel-patch/KERNEL/series only. */
    public Workspace(Path root, Path project, String kernel) {
        this(root, project, kernel, List.of());
    }

    public Workspace {
        java.util.Objects.requireNonNull(kernel, "kernel");
        extraSeries = List.copyOf(extraSeries);
    }

    /** The same work directory for another kernel series (no extra series). */
    public Workspace forKernel(String other) {
        return new Workspace(root, project, other);
    }

    public Path kernelDir() {
        return root.resolve("kernel").resolve(kernel);
    }

    public Path source(Variant v) {
        return kernelDir().resolve(v.cliName()).resolve("src");
    }

    /** The extracted tarball, never built in: both variants' trees are hard-linked copies of it. */
    public Path pristine() {
        return kernelDir().resolve("pristine").resolve("src");
    }

    /**
     * kernel-patch/KERNEL/tests: the series applied to both variants' trees (the in-kernel tests that audit
     * both kernels alike); its generated files are those of {@link #TESTS} in the generated directory.
     */
    public Path testSeries() {
        return patches().resolve(TESTS);
    }

    /** The directory, in kernel-patch/KERNEL and generated/KERNEL, of what goes into both variants' trees. */
    public static final String TESTS = "tests";

    public Path build(Variant v, Arch a, Profile p) {
        return kernelDir().resolve(v.cliName()).resolve("build-" + a.yamlName() + "-" + p.cliName());
    }

    /** The .config shared by both variants of an (arch, profile). */
    public Path config(Arch a, Profile p) {
        return kernelDir().resolve("configs").resolve(a.yamlName() + "-" + p.cliName());
    }

    /** A work directory of this kernel series: {@code <root>/<name>/<kernel>} (boots, guest programs, reports). */
    public Path perKernel(String name) {
        return root.resolve(name).resolve(kernel);
    }

    public Path logs() {
        return root.resolve("logs").resolve(kernel);
    }

    public Path log(String name) {
        return logs().resolve(name + ".log");
    }

    /** kernel-patch/KERNEL: the series, kernel.yaml and configs/ of this kernel. */
    public Path patches() {
        return project.resolve("kernel-patch").resolve(kernel);
    }

    /** generated/KERNEL: this kernel's committed generated files. */
    public Path generated() {
        return project.resolve("generated").resolve(kernel);
    }

    public static String makeArch(Arch a) {
        return a == Arch.X86_64 ? "x86_64" : "i386";
    }
}
