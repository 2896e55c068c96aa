package dev.idtgen.importer;

import dev.idtgen.model.Arch;
import dev.idtgen.model.Condition;
import dev.idtgen.model.Entry;
import dev.idtgen.model.Gate;
import dev.idtgen.model.GateTable;
import dev.idtgen.model.StubArray;
import dev.idtgen.model.Symbol;
import dev.idtgen.model.VectorTable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the x86 IDT of a Linux kernel tree into a {@link VectorTable}: the
 * vector symbols of {@code trapnr.h} and {@code irq_vectors.h}, the
 * {@code DECLARE_IDTENTRY*()} list and the stub arrays of
 * {@code idtentry.h}, the gate tables of {@code idt.c}, and the Kconfig
 * facts the resulting conditions rely on.
 *
 * <p>Conditions come from the {@code #if} nesting of each line. The
 * architecture symbols ({@code CONFIG_X86_64}, {@code CONFIG_X86_32}) are
 * taken out of them into {@code arches}, as is every option whose
 * {@code depends on} lines rule out one architecture (an entry under
 * {@code CONFIG_IA32_EMULATION} exists on x86_64 only). An entry is of kind
 * {@code sysvec_simple} when some {@code arch/x86} C file defines it with
 * {@code DEFINE_IDTENTRY_SYSVEC_SIMPLE()}; a gate that points at no
 * declared entry gets an entry of kind {@code external}. A tree with
 * {@code arch/x86/entry/entry_fred.c} (6.12) has FRED: {@link FredImporter}
 * gives its x86_64 entries their FRED routes.
 */
public final class KernelImporter {

    static final String TRAPNR_H = "arch/x86/include/asm/trapnr.h";
    static final String IRQ_VECTORS_H = "arch/x86/include/asm/irq_vectors.h";
    static final String IDTENTRY_H = "arch/x86/include/asm/idtentry.h";
    static final String IDT_C = "arch/x86/kernel/idt.c";
    /** The Kconfig files whose {@code depends on} lines give the facts. */
    static final List<String> KCONFIG = List.of("arch/x86/Kconfig", "arch/x86/Kconfig.cpu", "arch/x86/kvm/Kconfig",
            "arch/x86/xen/Kconfig", "drivers/thermal/intel/Kconfig", "drivers/hv/Kconfig", "init/Kconfig");
    /** The reason of the system-vector-range waivers the importer writes. */
    public static final String RANGE_WAIVER = "imported: upstream places this system vector below FIRST_SYSTEM_VECTOR";

    private static final Pattern SIMPLE = Pattern.compile("\\s*DEFINE_IDTENTRY_SYSVEC_SIMPLE\\s*\\(\\s*(\\w+)\\s*\\).*");
    private static final Pattern VERSION = Pattern.compile("^(VERSION|PATCHLEVEL)\\s*=\\s*(\\d+)\\s*$");

    private final Path dir;
    private final Placements placements;
    private final KconfigFacts facts;

    private KernelImporter(Path dir, KconfigFacts facts) {
        this.dir = dir;
        this.facts = facts;
        this.placements = new Placements(facts);
    }

    /**
     * Imports the kernel tree at {@code dir}.
     *
     * @throws ImportException when a file is missing or holds a construct the table cannot express;
     *                         the message names the file and line
     */
    public static VectorTable importTree(Path dir) throws ImportException {
        if (!Files.isDirectory(dir)) {
            throw new ImportException(dir, 0, "not a directory");
        }
        List<Path> kconfig = new ArrayList<>();
        for (String k : KCONFIG) {
            kconfig.add(dir.resolve(k));
        }
        KernelImporter im = new KernelImporter(dir, KconfigFacts.read(kconfig));
        return im.run();
    }

    private VectorTable run() throws ImportException {
        VectorSymbols symbols = new VectorSymbols();
        symbols.read(dir.resolve(TRAPNR_H));
        symbols.read(dir.resolve(IRQ_VECTORS_H));
        IdtentryReader idtentry = new IdtentryReader(symbols, placements, simpleSysvecs());
        idtentry.read(dir.resolve(IDTENTRY_H));
        List<Entry> entries = new ArrayList<>(idtentry.entries());
        GateReader idt = new GateReader(symbols, placements, entries);
        idt.read(dir.resolve(IDT_C));
        Map<GateTable, List<Gate>> gates = idt.gates();
        String series = series(dir.resolve("Makefile"));
        boolean fred = FredImporter.present(dir);
        List<Entry> all = fred
                ? new FredImporter(dir, symbols.symbols(), entries, gates, placements::onX86_64).run() : entries;
        return new VectorTable(1, series, List.of(series), kconfigSection(symbols.symbols(), entries,
                idtentry.arrays(), gates), symbols.symbols(), all, idtentry.arrays(), gates, dir.toString(), fred);
    }

    /** The kernel series of a tree, from its top Makefile's VERSION and PATCHLEVEL: 6.1, 6.12. */
    static String series(Path makefile) throws ImportException {
        String version = null;
        String patchlevel = null;
        List<String> lines;
        try {
            lines = Files.readAllLines(makefile);
        } catch (IOException e) {
            throw new ImportException(makefile, 0, "cannot read: " + e.getMessage());
        }
        for (String line : lines) {
            Matcher m = VERSION.matcher(line);
            if (m.matches()) {
                if (m.group(1).equals("VERSION")) {
                    version = version == null ? m.group(2) : version;
                } else {
                    patchlevel = patchlevel == null ? m.group(2) : patchlevel;
                }
            }
        }
        if (version == null || patchlevel == null) {
            throw new ImportException(makefile, 0, "no VERSION and PATCHLEVEL lines: not a kernel tree's Makefile");
        }
        return version + "." + patchlevel;
    }

    /** The handlers that some C file of arch/x86 defines with DEFINE_IDTENTRY_SYSVEC_SIMPLE(). */
    private Set<String> simpleSysvecs() throws ImportException {
        Set<String> out = new TreeSet<>();
        for (Path f : SourceFile.cFiles(dir.resolve("arch/x86"))) {
            for (String l : SourceFile.physicalLines(f)) {
                Matcher m = SIMPLE.matcher(l);
                if (m.matches()) {
                    out.add(m.group(1));
                }
            }
        }
        return out;
    }

    /** For every symbol the table's conditions read, what its depends on lines guarantee among them. */
    private Map<String, Condition> kconfigSection(Map<String, Symbol> symbols, List<Entry> entries,
                                                  List<StubArray> arrays, Map<GateTable, List<Gate>> gates) {
        Set<String> used = new TreeSet<>();
        symbols.values().forEach(s -> used.addAll(s.condition().symbols()));
        entries.forEach(e -> used.addAll(e.condition().symbols()));
        arrays.forEach(a -> used.addAll(a.condition().symbols()));
        gates.values().forEach(l -> l.forEach(g -> used.addAll(g.condition().symbols())));
        Map<String, Condition> out = new TreeMap<>();
        for (String s : used) {
            Condition fact = Condition.ALWAYS;
            for (String g : facts.guarantees(s)) {
                if (!g.equals(s) && (used.contains(g) || g.equals(Arch.X86_64.kconfig()))) {
                    fact = Condition.and(fact, new Condition.Defined(g));
                }
            }
            if (!fact.isAlways()) {
                out.put(s, fact);
            }
        }
        return new LinkedHashMap<>(out);
    }
}
