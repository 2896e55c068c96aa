package dev.idtgen.cli;

import dev.idtgen.kernel.Profile;
import dev.idtgen.kernel.Variant;
import dev.idtgen.kernel.Workspace;
import dev.idtgen.model.Arch;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

import java.nio.file.Path;
import java.util.Arrays;

/** The options every kernel command shares. */
final class KernelOptions {

    @Option(names = "--arch", paramLabel = "ARCH", defaultValue = "x86_64", converter = ArchConverter.class,
            description = "x86_64 or i386 (default: ${DEFAULT-VALUE}).")
    Arch arch;

    @Option(names = "--profile", paramLabel = "PROFILE", defaultValue = "tiny", converter = ProfileConverter.class,
            description = "tiny or full (default: ${DEFAULT-VALUE}).")
    Profile profile;

    @Option(names = "--work", paramLabel = "DIR", defaultValue = "${env:IDTGEN_HOME:-.}/work",
            description = "Work directory for kernel trees, builds and logs (default: ${DEFAULT-VALUE}).")
    Path work;

    @Option(names = "--generated", paramLabel = "DIR", defaultValue = "${env:IDTGEN_HOME:-.}/generated",
            description = "The generated files to build in, a directory per kernel series (default: ${DEFAULT-VALUE}).")
    Path generated;

    @Option(names = "--project", paramLabel = "DIR", defaultValue = "${env:IDTGEN_HOME:-.}", hidden = true)
    Path project;

    @Option(names = "--extra-patches", paramLabel = "DIR",
            description = "Another quilt-style series (a directory with a `series` file) applied to the generated "
                    + "tree after kernel-patch/; repeatable. Use a separate --work for such kernels.")
    java.util.List<Path> extraPatches = new java.util.ArrayList<>();

    /** The work directory and project files of one kernel series. */
    Workspace workspace(String kernel) {
        return new Workspace(work.toAbsolutePath().normalize(), project.toAbsolutePath().normalize(), kernel,
                extraPatches.stream().map(p -> p.toAbsolutePath().normalize()).toList());
    }

    /** The generated files of one kernel series: --generated/KERNEL. */
    Path generated(String kernel) {
        return generated.resolve(kernel);
    }

    /** --variant, for the commands that work on one variant. */
    static final class VariantOption {
        @Option(names = "--variant", paramLabel = "VARIANT", defaultValue = "generated",
                converter = VariantConverter.class, description = "generated or stock (default: ${DEFAULT-VALUE}).")
        dev.idtgen.kernel.Variant variant;
    }

    static final class ArchConverter implements ITypeConverter<Arch> {
        @Override
        public Arch convert(String s) {
            return Arch.fromYaml(s).orElseThrow(() -> new TypeConversionException("'" + s
                    + "' is not an architecture (x86_64, i386)"));
        }
    }

    static final class ProfileConverter implements ITypeConverter<Profile> {
        @Override
        public Profile convert(String s) {
            return Arrays.stream(Profile.values()).filter(p -> p.cliName().equals(s)).findFirst()
                    .orElseThrow(() -> new TypeConversionException("'" + s + "' is not a profile (tiny, full)"));
        }
    }

    static final class VariantConverter implements ITypeConverter<Variant> {
        @Override
        public Variant convert(String s) {
            return Variant.parse(s).orElseThrow(() -> new TypeConversionException("'" + s
                    + "' is not a variant (generated, stock)"));
        }
    }
}
