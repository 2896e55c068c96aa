package dev.idtgen.asm;

import dev.idtgen.cli.Main;
import dev.idtgen.kernel.KernelBuilder;
import dev.idtgen.kernel.Profile;
import dev.idtgen.kernel.Variant;
import dev.idtgen.kernel.Workspace;
import dev.idtgen.model.Arch;
import dev.idtgen.model.VectorTable;
import dev.idtgen.validate.Tables;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.idtgen.testsupport.EveryKernel;
import dev.idtgen.validate.Tables;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * `idtgen asm verify` on the slow suite's kernels (x86_64 and i386 tiny of
 * every series, x86_64 full of the newest), with each backend (Keystone is skipped with the reason when
 * no libkeystone with X86 is given): every stub assembled from its flat
 * listing at its vmlinux address is byte-identical to vmlinux, and Keystone
 * sees the same listings as gas. The kernels are the ones KernelCompareIT
 * builds in work/ in the same `mvn verify`; missing ones are built here. Then the negative case
 * against the real vmlinux: one listing changed by one instruction fails,
 * names the stub and points at the instruction.
 */
@Tag("slow")
class AsmVerifyIT {

    static final Path WORK = Path.of("work");

    record Run(int exit, String out) {
    }

    static Run idtgen(String... args) {
        StringWriter sw = new StringWriter();
        PrintWriter pw = new PrintWriter(sw, true);
        int rc = Main.run(pw, pw, args);
        pw.flush();
        System.out.println(sw);
        return new Run(rc, sw.toString());
    }

    static Workspace workspace() {
        return workspace("6.1");
    }

    static Workspace workspace(String series) {
        return new Workspace(WORK.toAbsolutePath().normalize(), Path.of("").toAbsolutePath(), series);
    }

    /** The generated 6.1 kernel of {@code arch} and {@code profile}, built when it is not there yet. */
    static Path kernel(Arch arch, Profile profile) throws Exception {
        return kernel("6.1", arch, profile);
    }

    /** The generated kernel of a series, {@code arch} and {@code profile}, built when it is not there yet. */
    static Path kernel(String series, Arch arch, Profile profile) throws Exception {
        Workspace ws = workspace(series);
        Path dir = ws.build(Variant.GENERATED, arch, profile);
        if (!Files.isRegularFile(dir.resolve("vmlinux"))) {
            PrintWriter out = new PrintWriter(System.out, true);
            new KernelBuilder(ws, out).build(Variant.GENERATED, arch, profile, Path.of("generated", series));
        }
        assertTrue(Files.isRegularFile(dir.resolve("vmlinux")), dir + " has no vmlinux after the build");
        return dir;
    }

    static Path kernel(Arch arch) throws Exception {
        return kernel(arch, Profile.TINY);
    }

    /**
     * The kernels of the slow suite, each with both backends: the tiny ones of every series of the table, and the
     * full x86_64 kernel of the newest (FullProfileIT's and KernelCompareIT's; 6.12's has FRED).
     */
    static Stream<Arguments> kernelsAndBackends() throws Exception {
        List<Arguments> out = new ArrayList<>();
        String newest = EveryKernel.newestKernel();
        for (String series : Tables.kernels(Path.of("vectors.yaml"))) {
            List<Object[]> kernels = new ArrayList<>(List.of(new Object[] {Arch.X86_64, Profile.TINY},
                    new Object[] {Arch.I386, Profile.TINY}));
            if (series.equals(newest)) {
                kernels.add(new Object[] {Arch.X86_64, Profile.FULL});
            }
            for (Object[] k : kernels) {
                for (String backend : List.of("gas", "keystone")) {
                    out.add(Arguments.of(series, k[0], k[1], backend));
                }
            }
        }
        return out.stream();
    }

    /** A backend, or the test is skipped with the reason it is unavailable (Keystone without KEYSTONE_LIBRARY). */
    static Assembler backend(String name) {
        Backends.Probe p = new Backends(System.getenv()).probe(name);
        assumeTrue(p.available(), () -> name + " unavailable: " + p.unavailable());
        return p.assembler();
    }

    /**
     * `asm verify --assembler B`: every stub of the kernel assembled from its flat listing at its vmlinux address
     * is byte-identical to vmlinux, and `asm size` agrees with vmlinux.
     */
    @ParameterizedTest(name = "linux {0} {1} {2} {3}")
    @MethodSource("kernelsAndBackends")
    void everyStubIsIdentical(String series, Arch arch, Profile profile, String backend) throws Exception {
        backend(backend).close();
        kernel(series, arch, profile);
        String p = profile.name().toLowerCase(java.util.Locale.ROOT);
        Run r = idtgen("asm", "verify", "--kernel", series, "--arch", arch.yamlName(), "--profile", p, "--work",
                WORK.toString(), "--assembler", backend);
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("assembler: " + backend + " ("), r.out());
        Matcher m = Pattern.compile("(\\d+) stubs, (\\d+) identical").matcher(r.out());
        assertTrue(m.find(), r.out());
        assertEquals(m.group(1), m.group(2), r.out());
        // every asm_* stub of the table's set for the profile and all 224 array stubs (6.1: 204 + 20, 6.12: 203 + 21)
        assertTrue(Integer.parseInt(m.group(1)) > 224 + 30, r.out());
        assertFalse(r.out().contains("mismatch"), r.out());

        Run size = idtgen("asm", "size", "--kernel", series, "--arch", arch.yamlName(), "--profile", p, "--work",
                WORK.toString(), "--assembler", backend);
        assertEquals(0, size.exit(), size.out());
        assertTrue(size.out().contains("every size agrees with vmlinux"), size.out());
    }

    /**
     * The flat listings depend on the assembler only through the lengths it measures (ALTERNATIVE padding):
     * Keystone must produce the very listings gas does, stub for stub.
     */
    @ParameterizedTest(name = "linux {0} {1} {2}")
    @MethodSource("kernels")
    void keystoneSeesTheSameListingsAsGas(String series, Arch arch, Profile profile) throws Exception {
        Path dir = kernel(series, arch, profile);
        Tables.Checked t = Tables.read(Path.of("vectors.yaml"), List.of(), series);
        assertTrue(t.ok(), t.problems().toString());
        KernelConstants constants = KernelConstants.load(arch, workspace(series).source(Variant.GENERATED), dir);
        FlatContext flat = new FlatContext(arch, FlatListings.readConfig(dir.resolve(".config")), constants,
                t.table());
        try (Assembler ks = backend("keystone"); Assembler gas = backend("gas")) {
            List<FlatListings.Stub> k = FlatListings.stubs(Path.of("templates"), t.table(), flat, ks);
            List<FlatListings.Stub> g = FlatListings.stubs(Path.of("templates"), t.table(), flat, gas);
            assertEquals(g.size(), k.size());
            for (int i = 0; i < g.size(); i++) {
                assertEquals(g.get(i).name(), k.get(i).name());
                assertEquals(g.get(i).listing(), k.get(i).listing(), g.get(i).name());
            }
        }
    }

    /** The first series' tiny kernels and the newest series' full kernel (the suite builds no other full one). */
    static Stream<Arguments> kernels() throws Exception {
        String first = Tables.kernels(Path.of("vectors.yaml")).get(0);
        return Stream.of(Arguments.of(first, Arch.X86_64, Profile.TINY), Arguments.of(first, Arch.I386, Profile.TINY),
                Arguments.of(EveryKernel.newestKernel(), Arch.X86_64, Profile.FULL));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Arch.class)
    void aListingChangedByOneInstructionFailsAndPointsAtIt(Arch arch) throws Exception {
        Path dir = kernel(arch);
        Tables.Checked t = Tables.read(Path.of("vectors.yaml"));
        assertTrue(t.ok(), t.problems().toString());
        VectorTable table = t.table();
        Mode mode = Mode.of(arch);
        try (Assembler asm = new Backends(System.getenv()).choose(null, new PrintWriter(System.out, true))) {
            KernelConstants constants = KernelConstants.load(arch, workspace().source(Variant.GENERATED), dir);
            List<FlatListings.Stub> stubs = new ArrayList<>(FlatListings.stubs(Path.of("templates"), table,
                    new FlatContext(arch, FlatListings.readConfig(dir.resolve(".config")), constants, table), asm));
            // asm_exc_page_fault: its last instruction jumps elsewhere (the rel32 bytes change)
            String victim = "asm_exc_page_fault";
            int i = 0;
            while (!stubs.get(i).symbol().equals(victim)) {
                i++;
            }
            FlatListings.Stub s = stubs.get(i);
            String changed = arch == Arch.X86_64
                    ? s.listing().replace("\tjmp\terror_return\n", "\tjmp\tparanoid_exit\n")
                    : s.listing().replace("\tjmp\thandle_exception\n", "\tjmp\thandle_exception_return\n");
            assertFalse(changed.equals(s.listing()));
            stubs.set(i, s.withListing(changed));
            KernelImage image = KernelImage.read(dir.resolve("vmlinux"));
            StubVerifier.Report r = StubVerifier.verify(image, stubs, StubVerifier.generatable(table, arch), asm, mode);
            List<StubVerifier.Outcome> bad = r.outcomes().stream().filter(o -> !o.identical()).toList();
            assertEquals(1, bad.size(), bad.toString());
            assertEquals(victim, bad.get(0).stub().name());
            String line = StubVerifier.describe(bad.get(0), mode);
            System.out.println(line);
            int jmp = bad.get(0).vmlinux().length - 5;
            assertTrue(bad.get(0).firstDifference() > jmp, line);
            String insn = "\\+0x" + Integer.toHexString(jmp) + " jmp 0x[0-9a-f]+ \\(e9( [0-9a-f]{2}){4}\\)";
            assertTrue(line.matches("mismatch asm_exc_page_fault at 0x[0-9a-f]+\\+0x[0-9a-f]+: vmlinux " + insn
                    + " \\| listing " + insn), line);
            assertEquals(r.outcomes().size() - 1, r.identical());
            assertFalse(r.ok());
        }
    }
}
