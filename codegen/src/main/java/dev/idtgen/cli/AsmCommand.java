package dev.idtgen.cli;

import dev.idtgen.asm.AsmException;
import dev.idtgen.asm.Assembler;
import dev.idtgen.asm.Backends;
import dev.idtgen.asm.FlatContext;
import dev.idtgen.asm.FlatListings;
import dev.idtgen.asm.KernelConstants;
import dev.idtgen.asm.KernelImage;
import dev.idtgen.asm.Mode;
import dev.idtgen.asm.StubSizeTable;
import dev.idtgen.asm.StubSizes;
import dev.idtgen.asm.StubVerifier;
import dev.idtgen.kernel.Variant;
import dev.idtgen.kernel.Workspace;
import dev.idtgen.model.Arch;
import dev.idtgen.validate.Tables;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "asm", mixinStandardHelpOptions = true,
        description = {"The stubs as flat instruction listings (the templates' flat mode), assembled in-process "
                + "(Keystone via JNA) or with GNU as: verify them against a built vmlinux, measure them, print them."},
        subcommands = {AsmCommand.Verify.class, AsmCommand.Size.class, AsmCommand.Listing.class})
final class AsmCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand (verify, size, listing)");
    }

    /** The --assembler option. */
    static final class AssemblerOption {
        @Option(names = "--assembler", paramLabel = "NAME", defaultValue = "auto",
                description = "keystone, gas or auto: Keystone when a libkeystone with X86 loads "
                        + "(KEYSTONE_LIBRARY or the library path), else gas (default: ${DEFAULT-VALUE}).")
        String name;

        Assembler open(PrintWriter out) throws AsmException {
            return new Backends(System.getenv()).choose(name, out);
        }
    }

    /** --config: the .config the flat listings are made for. */
    static final class ConfigOption {
        @Option(names = "--config", paramLabel = "FILE",
                description = "The .config (default: the profile's, work/kernel/configs/<arch>-<profile>/.config).")
        Path config;

        /** The --config given, else the profile's .config in the work directory. */
        Path path(Workspace ws, KernelOptions k) {
            return config != null ? config : ws.config(k.arch, k.profile).resolve(".config");
        }
    }

    /** The stubs of one architecture for a .config, with where the constants came from. */
    static List<FlatListings.Stub> listings(Path templates, Tables.Checked t, Arch arch, Map<String, String> config,
                                            KernelConstants constants, Assembler asm) throws AsmException {
        return FlatListings.stubs(templates, t.table(), new FlatContext(arch, config, constants, t.table()), asm);
    }

    /**
     * The kernel constants from the stock source and the generated build of --arch/--profile, each where it
     * exists (the defaults otherwise).
     */
    static KernelConstants stockConstants(Workspace ws, KernelOptions k) throws IOException {
        return KernelConstants.load(k.arch, existing(ws.source(Variant.STOCK)),
                existing(ws.build(Variant.GENERATED, k.arch, k.profile)));
    }

    private static Path existing(Path p) {
        return p != null && Files.exists(p) ? p : null;
    }

    /** What an asm subcommand has read before its own work: the table and the work directory of its kernel. */
    record Inputs(PrintWriter out, PrintWriter err, Tables.Checked table, Workspace ws) {
    }

    /**
     * The options of the commands that make flat listings: the kernel (--arch, --profile, --work, ...), the
     * table and the templates.
     */
    static final class ListingOptions {
        @Mixin
        KernelOptions k;

        @Mixin
        TableOption table;

        @Mixin
        Generation generation;

        /** The table (null, its problems printed to {@code err}, when it has any) and its kernel's work directory. */
        Inputs read(PrintWriter out, PrintWriter err) {
            Tables.Checked t = table.read(err);
            return t == null ? null : new Inputs(out, err, t, k.workspace(table.kernelOrFirst()));
        }
    }

    /**
     * The options every asm subcommand takes, and its frame: read the table (exit 1 on its problems), then the
     * subcommand's work; an {@link AsmException} is its message and exit 1.
     */
    abstract static class StubCommand implements Callable<Integer> {

        @Mixin
        ListingOptions listing;

        @Mixin
        AssemblerOption assembler;

        @Spec
        CommandSpec spec;

        @Override
        public final Integer call() throws IOException {
            Inputs in = listing.read(spec.commandLine().getOut(), spec.commandLine().getErr());
            if (in == null) {
                return 1;
            }
            try {
                return run(in);
            } catch (AsmException e) {
                in.err().println("asm " + spec.name() + ": " + e.getMessage());
                return 1;
            }
        }

        abstract int run(Inputs in) throws IOException, AsmException;

        /** --arch, --profile, --work and the other kernel options. */
        KernelOptions k() {
            return listing.k;
        }

        /** --templates. */
        Path templates() {
            return listing.generation.templates;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Assembles every stub of a built kernel (each asm_* stub the templates generate, each "
                    + "stub of irq_entries_start and spurious_entries_start) from its flat listing at its address "
                    + "in vmlinux, with vmlinux's symbols, and compares the bytes. One line per mismatch (first "
                    + "differing offset, both instructions), then 'N stubs, N identical'. Exit 1 on any difference."})
    static final class Verify extends StubCommand {

        @Mixin
        KernelOptions.VariantOption v;

        @Override
        int run(Inputs in) throws IOException, AsmException {
            PrintWriter out = in.out();
            Path dir = in.ws().build(v.variant, k().arch, k().profile);
            Path vmlinux = dir.resolve("vmlinux");
            String what = k().arch.yamlName() + "/" + k().profile.cliName() + " (" + v.variant.cliName()
                    + ")";
            if (!Files.isRegularFile(vmlinux) || !Files.isRegularFile(dir.resolve(".config"))) {
                in.err().println("asm verify: no built kernel at " + dir + ": build it with ./idtgen kernel build "
                        + "--arch " + k().arch.yamlName() + " --variant " + v.variant.cliName() + " --profile "
                        + k().profile.cliName());
                return 1;
            }
            long t0 = System.nanoTime();
            try (Assembler asm = assembler.open(out)) {
                Mode mode = Mode.of(k().arch);
                KernelConstants constants = KernelConstants.load(k().arch, existing(in.ws().source(v.variant)),
                        dir);
                out.println("constants: " + String.join(", ", constants.sources()));
                List<FlatListings.Stub> stubs = listings(templates(), in.table(), k().arch,
                        FlatListings.readConfig(dir.resolve(".config")), constants, asm);
                KernelImage image = KernelImage.read(vmlinux);
                if (image.is64() != (k().arch == Arch.X86_64)) {
                    in.err().println("asm verify: " + vmlinux + " is not an " + k().arch.yamlName() + " kernel");
                    return 1;
                }
                StubVerifier.Report r = StubVerifier.verify(image, stubs,
                        StubVerifier.generatable(in.table().table(), k().arch), asm, mode);
                print(out, r, mode);
                long arrays = r.outcomes().stream().filter(o -> o.stub().inArray()).count();
                out.printf("asm verify %s with %s: %d stubs, %d identical (%d asm_* stubs, %d array stubs; "
                                + "%.1f s)%n", what, asm.name(), r.outcomes().size(), r.identical(),
                        r.outcomes().size() - arrays, arrays, (System.nanoTime() - t0) / 1e9);
                return r.ok() ? 0 : 1;
            }
        }

        /** The mismatches, the problems and the stubs not compared. */
        private static void print(PrintWriter out, StubVerifier.Report r, Mode mode) {
            for (StubVerifier.Outcome o : r.outcomes()) {
                if (!o.identical()) {
                    out.println(StubVerifier.describe(o, mode));
                }
            }
            r.problems().forEach(p -> out.println("problem: " + p));
            if (!r.notFromTemplates().isEmpty()) {
                out.println("not generated by the templates (hand-written upstream), not compared: "
                        + String.join(", ", r.notFromTemplates()));
            }
        }
    }

    @Command(name = "size", mixinStandardHelpOptions = true,
            description = {"Per-stub sizes and the stub arrays' geometry (every irq/spurious stub within IDT_ALIGN, "
                    + "total bytes of the stubs) from the flat listings of a .config, without a kernel build; "
                    + "next to them the sizes in the generated and the stock vmlinux where those are built, and a "
                    + "failure when they disagree."})
    static final class Size extends StubCommand {

        @Mixin
        ConfigOption config;

        @Override
        int run(Inputs in) throws IOException, AsmException {
            PrintWriter out = in.out();
            Workspace ws = in.ws();
            Path cfg = config.path(ws, k());
            if (!Files.isRegularFile(cfg)) {
                in.err().println("asm size: no .config at " + cfg + " (make one with ./idtgen kernel prepare "
                        + "--arch " + k().arch.yamlName() + " --profile " + k().profile.cliName()
                        + ", or pass --config FILE)");
                return 1;
            }
            Map<Variant, KernelImage> images = new LinkedHashMap<>();
            for (Variant v : List.of(Variant.GENERATED, Variant.STOCK)) {
                Path vm = ws.build(v, k().arch, k().profile).resolve("vmlinux");
                if (config.config == null && Files.isRegularFile(vm)) {
                    images.put(v, KernelImage.read(vm));
                }
            }
            Path constantsBuild = images.containsKey(Variant.GENERATED)
                    ? ws.build(Variant.GENERATED, k().arch, k().profile)
                    : images.containsKey(Variant.STOCK) ? ws.build(Variant.STOCK, k().arch, k().profile) : null;
            try (Assembler asm = assembler.open(out)) {
                Mode mode = Mode.of(k().arch);
                KernelConstants constants = KernelConstants.load(k().arch, existing(ws.source(Variant.STOCK)),
                        constantsBuild);
                out.println("config: " + cfg);
                out.println("constants: " + String.join(", ", constants.sources()));
                List<FlatListings.Stub> stubs = listings(templates(), in.table(), k().arch,
                        FlatListings.readConfig(cfg), constants, asm);
                List<StubSizes.Size> sizes = StubSizes.measure(stubs, asm, mode);
                Map<String, KernelImage> byName = new LinkedHashMap<>();
                images.forEach((v, image) -> byName.put(v.cliName(), image));
                return new StubSizeTable(out, byName).print(sizes);
            }
        }
    }

    @Command(name = "listing", mixinStandardHelpOptions = true,
            description = "Prints the flat listing of every stub (or of the stubs named) for a .config.")
    static final class Listing extends StubCommand {

        @Mixin
        ConfigOption config;

        @Option(names = "--raw", description = "Print the templates' flat-mode output as rendered, before the "
                + "#if lines, comments and ALTERNATIVE paddings are resolved.")
        boolean raw;

        @CommandLine.Parameters(paramLabel = "STUB", arity = "0..*",
                description = "Stub names (asm_exc_int3, irq_entries_start); default: every stub.")
        List<String> names = new ArrayList<>();

        @Override
        int run(Inputs in) throws IOException, AsmException {
            PrintWriter out = in.out();
            Path cfg = config.path(in.ws(), k());
            if (!Files.isRegularFile(cfg)) {
                in.err().println("asm listing: no .config at " + cfg);
                return 1;
            }
            try (Assembler asm = assembler.open(in.err())) {
                FlatContext flat = new FlatContext(k().arch, FlatListings.readConfig(cfg), stockConstants(in.ws(), k()),
                        in.table().table());
                if (raw) {
                    out.print(FlatListings.render(templates(), in.table().table(), flat));
                    out.flush();
                    return 0;
                }
                for (FlatListings.Stub s : FlatListings.stubs(templates(), in.table().table(), flat, asm)) {
                    if (names.isEmpty() || names.contains(s.symbol()) || names.contains(s.name())) {
                        out.println("# " + s.name() + (s.offset() != 0 ? " (+" + s.offset() + ")" : ""));
                        out.print(s.listing());
                    }
                }
                out.flush();
                return 0;
            }
        }
    }
}
