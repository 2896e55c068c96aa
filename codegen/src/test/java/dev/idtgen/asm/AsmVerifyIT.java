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
import org.junit.jupiter.params.provider.EnumSource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `idtgen asm verify` on the tiny kernels of both architectures: every stub
 * assembled from its flat listing at its vmlinux address is byte-identical to
 * vmlinux. The kernels are the ones KernelCompareIT builds in work/ in the
 * same `mvn verify`; missing ones are built here. Then the negative case
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
        return new Workspace(WORK.toAbsolutePath().normalize(), Path.of("").toAbsolutePath());
    }

    /** The generated tiny kernel of {@code arch}, built when it is not there yet. */
    static Path kernel(Arch arch) throws Exception {
        Workspace ws = workspace();
        Path dir = ws.build(Variant.GENERATED, arch, Profile.TINY);
        if (!Files.isRegularFile(dir.resolve("vmlinux"))) {
            PrintWriter out = new PrintWriter(System.out, true);
            new KernelBuilder(ws, out).build(Variant.GENERATED, arch, Profile.TINY, Path.of("generated"));
        }
        assertTrue(Files.isRegularFile(dir.resolve("vmlinux")), dir + " has no vmlinux after the build");
        return dir;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Arch.class)
    void everyStubIsIdentical(Arch arch) throws Exception {
        kernel(arch);
        Run r = idtgen("asm", "verify", "--arch", arch.yamlName(), "--profile", "tiny", "--work", WORK.toString());
        assertEquals(0, r.exit(), r.out());
        Matcher m = Pattern.compile("(\\d+) stubs, (\\d+) identical").matcher(r.out());
        assertTrue(m.find(), r.out());
        assertEquals(m.group(1), m.group(2), r.out());
        // every asm_* stub of the table's tiny set and all 204 + 20 array stubs
        assertTrue(Integer.parseInt(m.group(1)) > 224 + 30, r.out());
        assertFalse(r.out().contains("mismatch"), r.out());

        Run size = idtgen("asm", "size", "--arch", arch.yamlName(), "--profile", "tiny", "--work", WORK.toString());
        assertEquals(0, size.exit(), size.out());
        assertTrue(size.out().contains("every size agrees with vmlinux"), size.out());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Arch.class)
    void aListingChangedByOneInstructionFailsAndPointsAtIt(Arch arch) throws Exception {
        Path dir = kernel(arch);
        Tables.Checked t = Tables.read(Path.of("vectors.yaml"));
        assertTrue(t.ok(), t.problems().toString());
        VectorTable table = t.table();
        Mode mode = Mode.of(arch);
        try (Assembler asm = Backends.choose(null, new PrintWriter(System.out, true))) {
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
