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
        assertInsertionFails("\tcase X86_TRAP_XF: return exc_simd_coprocessor_error(regs);", "\tcase 42: return foo(regs);",
                ": fred_hwexc(): 42 goes to foo(), but no x86_64 entry of idtentry.h has that vector");
    }

    /** A sysvec_table row whose handler idtentry.h does not declare is an error at its line. */
    @Test
    void anUnknownSysvecRowIsAnErrorNotADrop() throws Exception {
        assertInsertionFails("\tSYSVEC(POSTED_MSI_NOTIFICATION_VECTOR,\tposted_msi_notification),",
                "\tSYSVEC(HYPERVISOR_CALLBACK_VECTOR,\tvendor_callback),",
                ": sysvec_table: sysvec_vendor_callback is no x86_64 entry of idtentry.h");
    }

    /** entry_fred.c with {@code line} inserted after {@code anchor}: the import fails at the inserted line. */
    private static void assertInsertionFails(String anchor, String line, String message) throws Exception {
        Path tree = KernelTree.get("6.12");
        List<String> lines = new ArrayList<>(Files.readAllLines(tree.resolve(ENTRY_FRED_C)));
        int at = lines.indexOf(anchor);
        assertTrue(at > 0, "entry_fred.c has the line " + anchor);
        lines.add(at + 1, line);
        ImportRoundTrip.assertImportFails(tree, ENTRY_FRED_C, lines, (at + 2) + message);
    }
}
