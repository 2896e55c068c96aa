package dev.idtgen.importer;

import dev.idtgen.edit.TableDiff;
import dev.idtgen.testsupport.KernelTree;
import dev.idtgen.load.TableLoader;
import dev.idtgen.model.Arch;
import dev.idtgen.model.Condition;
import dev.idtgen.model.Entry;
import dev.idtgen.model.ErrorCode;
import dev.idtgen.model.Fred;
import dev.idtgen.model.Gate;
import dev.idtgen.model.GateTable;
import dev.idtgen.model.GateType;
import dev.idtgen.model.Ist;
import dev.idtgen.model.Kind;
import dev.idtgen.model.StubArray;
import dev.idtgen.model.Symbol;
import dev.idtgen.model.VectorTable;
import dev.idtgen.validate.Validator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * Imports a kernel tree of each series and compares the result with
 * vectors.yaml projected onto that kernel, one test per entry, symbol, stub
 * array, gate and Kconfig fact; an entry with its FRED routes (6.12).
 * Waivers are compared by rule id only, FRED exemptions by presence (their
 * reasons are prose).
 */
@Tag("slow")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ImportRoundTrip {

    private final String series;
    VectorTable imported;
    VectorTable expected;

    ImportRoundTrip(String series) {
        this.series = series;
    }

    @BeforeAll
    void load() throws Exception {
        imported = KernelImporter.importTree(KernelTree.get(series));
        assertEquals(series, imported.kernel(), "the series recognised from the tree's Makefile");
        Path file = Path.of("vectors.yaml");
        TableLoader.Loaded r = TableLoader.load(file.toString(), Files.readString(file, StandardCharsets.UTF_8),
                series);
        assertTrue(r.ok(), () -> "vectors.yaml does not load: " + r.problems());
        expected = r.table();
    }

    record EntryView(String handler, String vector, Integer number, Kind kind, ErrorCode errorCode, Set<Arch> arches,
                     Condition condition, Map<String, String> otherwise, Set<String> waived, FredView fred) {
        static EntryView of(Entry e) {
            return new EntryView(e.handler(), e.vector(), e.number(), e.kind(), e.errorCode(), Set.copyOf(e.arches()),
                    e.condition(), Map.copyOf(e.otherwise()), Set.copyOf(e.waivers().keySet()), FredView.of(e.fred()));
        }
    }

    /** An entry's FRED routes: the routes as a set; an exemption by presence (its reason is prose). */
    record FredView(Set<Fred.Route> routes, String call, String guard, boolean fastPath, Integer stackLevel,
                    boolean exempt) {
        static FredView of(Fred f) {
            return f == null ? null : new FredView(Set.copyOf(f.routes()), f.call(), f.guard(), f.fastPath(),
                    f.stackLevel(), f.exempt() != null);
        }
    }

    record GateView(GateTable table, String handler, GateType type, int dpl, Ist ist, String tss, Set<Arch> arches,
                    Condition condition, Set<String> waived) {
        static GateView of(Gate g) {
            return new GateView(g.table(), g.handler(), g.type(), g.dpl(), g.ist(), g.tss(), Set.copyOf(g.arches()),
                    g.condition(), Set.copyOf(g.waivers().keySet()));
        }
    }

    record SymbolView(String name, int number, Condition condition) {
        static SymbolView of(Symbol s) {
            return new SymbolView(s.name(), s.number(), s.condition());
        }
    }

    record ArrayView(String name, String first, String end, String target, Set<Arch> arches, Condition condition) {
        static ArrayView of(StubArray a) {
            return new ArrayView(a.name(), a.first(), a.end(), a.target(), Set.copyOf(a.arches()), a.condition());
        }
    }

    @Test
    void importedTableIsValid() {
        assertEquals(List.of(), Validator.validate(imported));
    }

    /** The stock tree's import and vectors.yaml differ in no structural fact: a table edit's diff starts empty. */
    @Test
    void importDiffsEmptyAgainstTheTable() {
        assertEquals(List.of(), TableDiff.between(imported, expected).lines());
    }

    @Test
    void writtenImportReadsBack() {
        String text = TableWriter.write(imported);
        TableLoader.Loaded r = TableLoader.load("imported.yaml", text);
        assertTrue(r.ok(), () -> r.problems() + "\n" + text);
        assertEquals(Models.strip(imported), Models.strip(r.table()));
    }

    /**
     * A gate table the model does not know ({@code vendor_idt[] __initconst}, attributes after the
     * brackets, as 6.12's ia32_idt was before the model knew it) is an error at its line, never
     * dropped: the tree with one such table added to idt.c.
     */
    @Test
    void anUnknownGateTableIsAnErrorNotADrop() throws Exception {
        Path tree = KernelTree.get(series);
        List<String> lines = new ArrayList<>(Files.readAllLines(tree.resolve("arch/x86/kernel/idt.c")));
        lines.addAll(List.of("", "static const struct idt_data vendor_idt[] __initconst = {",
                "\tSYSG(IA32_SYSCALL_VECTOR,\tentry_INT80_32),", "};"));
        assertImportFails(tree, Path.of("arch/x86/kernel/idt.c"), lines,
                (lines.size() - 2) + ": unknown gate table vendor_idt");
    }

    /**
     * Imports a copy of {@code tree} whose file {@code own} holds {@code lines}, and expects an
     * {@link ImportException} whose message is that file's path, a colon and {@code message}.
     */
    static void assertImportFails(Path tree, Path own, List<String> lines, String message) throws Exception {
        Path copy = Files.createTempDirectory(Path.of("target"), "import-changed-");
        try {
            mirror(tree, copy, own);
            Files.write(copy.resolve(own), lines);
            ImportException e = org.junit.jupiter.api.Assertions.assertThrows(ImportException.class,
                    () -> KernelImporter.importTree(copy));
            assertEquals(copy.resolve(own) + ":" + message, e.getMessage());
        } finally {
            // links and the one copied file only (walk does not follow links)
            try (Stream<Path> all = Files.walk(copy)) {
                for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /** {@code to} mirrors {@code from} with symbolic links, except the directories on the way to {@code own}. */
    private static void mirror(Path from, Path to, Path own) throws java.io.IOException {
        try (Stream<Path> children = Files.list(from)) {
            for (Path c : children.toList()) {
                Path rel = from.relativize(c);
                if (own.getNameCount() > 1 && rel.getFileName().equals(own.getName(0))) {
                    Files.createDirectories(to.resolve(rel));
                    mirror(c, to.resolve(rel), own.subpath(1, own.getNameCount()));
                } else if (!rel.getFileName().equals(own.getFileName()) || own.getNameCount() > 1) {
                    Files.createSymbolicLink(to.resolve(rel), c.toAbsolutePath());
                }
            }
        }
    }

    @TestFactory
    Stream<DynamicNode> entries() {
        return compareLists("entry", expected.entries(), imported.entries(), Entry::handler, EntryView::of);
    }

    @TestFactory
    Stream<DynamicNode> symbols() {
        return compareLists("symbol", List.copyOf(expected.symbols().values()),
                List.copyOf(imported.symbols().values()), Symbol::name, SymbolView::of);
    }

    @TestFactory
    Stream<DynamicNode> stubArrays() {
        return compareLists("stub array", expected.stubArrays(), imported.stubArrays(), StubArray::name, ArrayView::of);
    }

    @TestFactory
    Stream<DynamicContainer> gates() {
        return Stream.of(GateTable.values()).map(t -> dynamicContainer(t.yamlName(),
                compareLists("gate " + t.yamlName(), expected.gates().getOrDefault(t, List.of()),
                        imported.gates().getOrDefault(t, List.of()), Gate::handler, GateView::of)));
    }

    @TestFactory
    Stream<DynamicNode> kconfig() {
        List<DynamicNode> out = new ArrayList<>();
        out.add(dynamicTest("same symbols", () -> assertEquals(new TreeSet<>(expected.kconfig().keySet()),
                new TreeSet<>(imported.kconfig().keySet()), "kconfig symbols")));
        Set<String> all = new TreeSet<>(expected.kconfig().keySet());
        all.addAll(imported.kconfig().keySet());
        for (String s : all) {
            out.add(dynamicTest(s, () -> assertEquals(expected.kconfig().get(s), imported.kconfig().get(s),
                    "kconfig " + s)));
        }
        return out.stream();
    }

    /** A test of the names in order, then one per position comparing the views, named after the expected item. */
    private static <T, V> Stream<DynamicNode> compareLists(String what, List<T> want, List<T> got,
                                                           Function<T, String> name, Function<T, V> view) {
        List<DynamicNode> out = new ArrayList<>();
        out.add(dynamicTest("order", () -> assertEquals(want.stream().map(name).toList(),
                got.stream().map(name).toList(), what + " names in order")));
        for (int i = 0; i < Math.max(want.size(), got.size()); i++) {
            T w = i < want.size() ? want.get(i) : null;
            T g = i < got.size() ? got.get(i) : null;
            String label = (i + 1) + ": " + (w != null ? name.apply(w) : "(extra) " + name.apply(g));
            out.add(dynamicTest(label, () -> assertEquals(w == null ? null : view.apply(w),
                    g == null ? null : view.apply(g), what + " " + label)));
        }
        return out.stream();
    }
}
