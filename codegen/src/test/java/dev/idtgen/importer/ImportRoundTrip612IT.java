package dev.idtgen.importer;

import dev.idtgen.testsupport.KernelTree;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The import round trip on Linux 6.12, the kernel with FRED. */
class ImportRoundTrip612IT extends ImportRoundTrip {

    private static final Path ENTRY_FRED_C = Path.of(FredImporter.ENTRY_FRED_C);

    ImportRoundTrip612IT() {
        super("6.12");
    }

    @Test
    void theImportHasFred() {
        assertTrue(imported.fred(), "entry_fred.c makes the imported 6.12 table a table with FRED");
    }

    /**
     * A case of fred_hwexc() that the importer cannot map onto an entry ({@code case 42:}, no entry
     * has vector 42) is an error at its line, never dropped.
     */
    @Test
    void anUnknownFredCaseIsAnErrorNotADrop() throws Exception {
        Path tree = KernelTree.get("6.12");
        List<String> lines = new ArrayList<>(Files.readAllLines(tree.resolve(ENTRY_FRED_C)));
        int xf = lines.indexOf("\tcase X86_TRAP_XF: return exc_simd_coprocessor_error(regs);");
        assertTrue(xf > 0, "fred_hwexc() has the #XF case");
        lines.add(xf + 1, "\tcase 42: return foo(regs);");
        ImportRoundTrip.assertImportFails(tree, ENTRY_FRED_C, lines, (xf + 2)
                + ": fred_hwexc(): 42 goes to foo(), but no x86_64 entry of idtentry.h has that vector");
    }

    /** A sysvec_table row whose handler idtentry.h does not declare is an error at its line. */
    @Test
    void anUnknownSysvecRowIsAnErrorNotADrop() throws Exception {
        Path tree = KernelTree.get("6.12");
        List<String> lines = new ArrayList<>(Files.readAllLines(tree.resolve(ENTRY_FRED_C)));
        int msi = lines.indexOf("\tSYSVEC(POSTED_MSI_NOTIFICATION_VECTOR,\tposted_msi_notification),");
        assertTrue(msi > 0, "sysvec_table has the posted MSI row");
        lines.add(msi + 1, "\tSYSVEC(HYPERVISOR_CALLBACK_VECTOR,\tvendor_callback),");
        ImportRoundTrip.assertImportFails(tree, ENTRY_FRED_C, lines, (msi + 2)
                + ": sysvec_table: sysvec_vendor_callback is no x86_64 entry of idtentry.h");
    }
}
