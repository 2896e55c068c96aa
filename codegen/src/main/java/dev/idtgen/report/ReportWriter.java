package dev.idtgen.report;

import dev.idtgen.boot.TestResult;
import dev.idtgen.kernel.Variant;
import dev.idtgen.model.Arch;
import dev.idtgen.model.Entry;
import dev.idtgen.boot.Ktap;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes the boot-test verdicts: a Markdown report with one row per vector
 * (number, name, kind, x86_64 and i386 verdicts, stock against generated)
 * plus the other suites, and JUnit XML with one test case per vector per
 * architecture per kernel.
 */
public final class ReportWriter {

    /** A suite of named results beyond the vector rows (gate sweep, selftests, crash boots). */
    public record Suite(String name, Arch arch, Variant variant, List<TestResult> results) {
    }

    private ReportWriter() {
    }

    /**
     * The boot-test stage's figures, the identity checks, the coverage and the disagreement protocol's notes, for
     * the report; {@code credited}: the variants not booted themselves (identical images), each with its note.
     */
    public record Stage(double wallSeconds, double bootSeconds, int boots, double rerunWallSeconds,
                        List<String> protocol, List<String> identity, List<Coverage> coverage,
                        Map<Credited, String> credited) {
    }

    /**
     * The FRED boots' verdicts, one row per entry as for the IDT (x86_64 cells only), or, when there are none,
     * why ({@code skipped}).
     */
    public record Fred(List<Verdicts.Row> rows, String skipped) {
        /** A kernel without FRED. */
        public static final Fred NONE = new Fred(List.of(), "");

        Verdicts.Row row(Entry e) {
            return rows.stream().filter(r -> r.entry().handler().equals(e.handler())).findFirst().orElse(null);
        }
    }

    /** The FRED column of an entry: its routes, then the FRED boots' verdict (stock vs generated) or why none. */
    static String fredCell(Entry e, Fred fred) {
        if (e.fred() == null || e.fred().exempt() != null) {
            return fredCell(e);
        }
        String routes = routes(e.fred());
        Verdicts.Row r = fred.row(e);
        if (r == null) {
            return routes + "; " + (fred.skipped().isEmpty() ? "no FRED boot" : fred.skipped().replace("|", "\\|"));
        }
        return routes + "; Bochs: " + cell(r, Arch.X86_64);
    }

    /** How FRED delivers an entry, for a kernel with FRED. */
    static String fredCell(Entry e) {
        dev.idtgen.model.Fred f = e.fred();
        if (f == null) {
            return e.arches().contains(Arch.X86_64) ? "-" : "- (i386: no FRED)";
        }
        if (f.exempt() != null) {
            return "none: " + f.exempt().replace("|", "\\|");
        }
        return routes(f) + "; not executed (no FRED in QEMU 7.2 TCG)";
    }

    /** "hwexc (generated), priv_swexc (hand-written dispatch)". */
    private static String routes(dev.idtgen.model.Fred f) {
        List<String> parts = new ArrayList<>();
        for (dev.idtgen.model.Fred.Route r : f.routes()) {
            parts.add(r.yamlName() + (dev.idtgen.model.Fred.Route.GENERATED.contains(r) ? " (generated)"
                    : " (hand-written dispatch)"));
        }
        return String.join(", ", parts);
    }

    public static String markdown(List<Verdicts.Row> rows, List<Suite> suites, List<Arch> arches, Stage stage) {
        return markdown(rows, suites, arches, stage, Fred.NONE);
    }

    public static String markdown(List<Verdicts.Row> rows, List<Suite> suites, List<Arch> arches, Stage stage,
                                  Fred fredVerdicts) {
        StringBuilder b = new StringBuilder("# idtgen boot tests\n\n");
        b.append("One row per entry point of vectors.yaml. A cell is the verdict on the stock and on the generated")
                .append(" kernel (one word when they agree); skips carry their reason.\n\n");
        boolean fred = rows.stream().anyMatch(r -> r.entry().fred() != null);
        if (fred) {
            fredIntro(b, fredVerdicts);
        }
        vectorTable(b, rows, arches, fred, fredVerdicts);
        if (stage != null) {
            stage(b, stage);
        }
        for (Suite s : suites) {
            suite(b, s);
        }
        return b.toString();
    }

    /** The paragraph of a kernel with FRED: what its arch columns and its FRED column say. */
    private static void fredIntro(StringBuilder b, Fred fredVerdicts) {
        b.append("This kernel has FRED. The arch columns are the IDT path's verdicts: QEMU 7.2 TCG has no FRED")
                .append(" (`-cpu max,+fred` is refused), so there a FRED kernel enters through the IDT. The")
                .append(" FRED column says how FRED delivers each vector and, from the same kernels booted on")
                .append(" Bochs (CPU model with FRED, `fred=on`), the FRED path's verdict, stock vs generated")
                .append(fredVerdicts.rows().isEmpty() ? " (" + fredVerdicts.skipped() + ")" : "")
                .append(". The generated FRED dispatch is also proven byte-identical to stock by")
                .append(" `idtgen kernel compare --kernel 6.12 --profile full`.\n\n");
    }

    /** The table of one row per entry, with the FRED column ({@code fredVerdicts}) for a kernel with FRED. */
    private static void vectorTable(StringBuilder b, List<Verdicts.Row> rows, List<Arch> arches, boolean fred,
                                    Fred fredVerdicts) {
        b.append("| vector | name | kind | handler |");
        arches.forEach(a -> b.append(' ').append(a.yamlName()).append(" |"));
        b.append(" stock vs generated |").append(fred ? " FRED route (x86_64) |" : "")
                .append("\n|---|---|---|---|");
        arches.forEach(a -> b.append("---|"));
        b.append("---|").append(fred ? "---|" : "").append("\n");
        for (Verdicts.Row r : rows) {
            Entry e = r.entry();
            b.append("| ").append(e.number() == null ? "-" : String.format("0x%02x", e.number())).append(" | ")
                    .append(e.vector()).append(" | ").append(e.kind().yamlName()).append(" | `").append(e.handler())
                    .append("` |");
            for (Arch a : arches) {
                b.append(' ').append(cell(r, a)).append(" |");
            }
            b.append(r.change().map(c -> " changed by the table: " + String.join("; ", c.what()) + " |")
                    .orElse(r.agree() ? " same |" : " **DIFFERENT** |"));
            if (fred) {
                b.append(' ').append(fredCell(e, fredVerdicts)).append(" |");
            }
            b.append('\n');
        }
    }

    /** The boot-test stage's section: its figures, the identity checks, the coverage and the protocol's notes. */
    private static void stage(StringBuilder b, Stage stage) {
        b.append("\n## Boot-test stage\n\n");
        if (stage.wallSeconds() > 0) {
            b.append(String.format("%d boots, %.1f s wall for %.1f s of boots (parallel)%s.%n", stage.boots(),
                    stage.wallSeconds(), stage.bootSeconds(), stage.rerunWallSeconds() > 0.05 ? String.format(
                            ", of which %.1f s re-runs of the disagreement protocol", stage.rerunWallSeconds())
                            : ""));
        } else {
            b.append(String.format("%d boots, %.1f s of boots (rebuilt from the saved logs).%n", stage.boots(),
                    stage.bootSeconds()));
        }
        stage.identity().forEach(x -> b.append("\n- ").append(x));
        if (!stage.coverage().isEmpty()) {
            b.append("\n\n### Vector coverage\n\n")
                    .append("Audited: the KUnit audit (idtgen_idt) found the live IDT descriptor to be what the")
                    .append(" table says; raised from user space: the vectors whose entry passed a guest test.\n");
            stage.coverage().forEach(c -> b.append("\n- ").append(c.line()));
        }
        b.append("\n\n### Disagreement protocol\n\n");
        if (stage.protocol().isEmpty()) {
            b.append("No test needed it: stock and generated agreed on every test at the first run.\n");
        } else {
            b.append("Tests on which stock and generated disagreed at first, re-run on both kernels:\n\n");
            stage.protocol().forEach(x -> b.append("- ").append(x).append('\n'));
        }
    }

    /** A suite's section: its counts, then every result that did not pass. */
    private static void suite(StringBuilder b, Suite s) {
        long pass = s.results().stream().filter(x -> x.status() == Ktap.Status.PASS).count();
        long fail = s.results().stream().filter(x -> x.status() == Ktap.Status.FAIL).count();
        long timeout = s.results().stream().filter(x -> x.status() == Ktap.Status.TIMEOUT).count();
        long skip = s.results().size() - pass - fail - timeout;
        String carried = Coverage.carried(s.results());
        b.append("\n## ").append(s.name()).append(", ").append(s.arch().yamlName()).append(", ")
                .append(s.variant().cliName()).append("\n\n").append(pass).append(" pass, ").append(fail)
                .append(" fail, ").append(timeout).append(" timeout, ").append(skip).append(" skip")
                .append(carried.isEmpty() ? "" : " (" + carried + ", not run this time)").append('\n');
        for (TestResult x : s.results()) {
            if (x.status() != Ktap.Status.PASS) {
                b.append("- ").append(x.status()).append(' ').append(x.name())
                        .append(x.reason().isEmpty() ? "" : ": " + x.reason().replace("\n", " "))
                        .append(x.carriedNote());
                if (x.status() == Ktap.Status.FAIL && !x.diagnostics().isEmpty()) {
                    b.append(" (").append(String.join("; ", x.diagnostics())).append(')');
                }
                b.append('\n');
            }
        }
    }

    private static String cell(Verdicts.Row r, Arch a) {
        Verdicts.Cell s = r.cell(a, Variant.STOCK);
        Verdicts.Cell g = r.cell(a, Variant.GENERATED);
        if (s == null && g == null) {
            return "-";
        }
        if (s != null && g != null && s.verdict() == g.verdict() && s.detail().equals(g.detail())) {
            return text(s);
        }
        return "stock " + (s == null ? "-" : text(s)) + " / generated " + (g == null ? "-" : text(g));
    }

    private static String text(Verdicts.Cell c) {
        String d = c.detail().replace("|", "\\|");
        return switch (c.verdict()) {
            case PASS -> "PASS (" + d + ")";
            case FAIL -> "**FAIL** (" + d + ")";
            case SKIP -> "skip: " + d;
            case NOT_BUILT -> "not built";
            case UNTESTED -> "**UNTESTED**";
            case TIMEOUT -> "**timeout** (" + d + ")";
        };
    }

    /** JUnit XML: a test case per vector per arch per kernel, then the suites' results. */
    public static String junit(List<Verdicts.Row> rows, List<Suite> suites) {
        return junit(rows, suites, Fred.NONE);
    }

    /** As {@link #junit(List, List)}, with the FRED boots' per-vector cases ({@code fred.ARCH.VARIANT}). */
    public static String junit(List<Verdicts.Row> rows, List<Suite> suites, Fred fred) {
        return junit(rows, suites, fred, Map.of());
    }

    /**
     * As {@link #junit(List, List, Fred)}; the cases of a variant that was not booted itself (its image identical to
     * the booted one's) say where their result came from in their {@code system-out}.
     */
    public static String junit(List<Verdicts.Row> rows, List<Suite> suites, Fred fred, Map<Credited, String> credited) {
        List<String> cases = new ArrayList<>();
        int failures = 0;
        int skipped = 0;
        int errors = 0;
        List<Map.Entry<String, Verdicts.Row>> all = new ArrayList<>();
        rows.forEach(r -> all.add(Map.entry("vectors.", r)));
        fred.rows().forEach(r -> all.add(Map.entry("fred.", r)));
        for (Map.Entry<String, Verdicts.Row> pr : all) {
            Verdicts.Row r = pr.getValue();
            for (Map.Entry<Arch, Map<Variant, Verdicts.Cell>> a : r.cells().entrySet()) {
                for (Map.Entry<Variant, Verdicts.Cell> v : a.getValue().entrySet()) {
                    Verdicts.Cell c = v.getValue();
                    String body = switch (c.verdict()) {
                        case PASS -> "";
                        case FAIL, UNTESTED -> "<failure message=\"" + xml(c.detail()) + "\"/>";
                        case SKIP, NOT_BUILT -> "<skipped message=\"" + xml(c.detail()) + "\"/>";
                        case TIMEOUT -> timeout(c.detail());
                    };
                    failures += c.verdict() == Verdicts.Verdict.FAIL || c.verdict() == Verdicts.Verdict.UNTESTED ? 1 : 0;
                    errors += c.verdict() == Verdicts.Verdict.TIMEOUT ? 1 : 0;
                    skipped += c.verdict() == Verdicts.Verdict.SKIP || c.verdict() == Verdicts.Verdict.NOT_BUILT ? 1 : 0;
                    String note = credited.getOrDefault(new Credited(pr.getKey().equals("fred."), a.getKey(),
                            v.getKey()), "");
                    cases.add(testcase(pr.getKey() + a.getKey().yamlName() + "." + v.getKey().cliName(),
                            r.entry().handler(), body + out(carried(c.results()), note)));
                }
            }
        }
        for (Suite s : suites) {
            for (TestResult x : s.results()) {
                String body = switch (x.status()) {
                    case PASS, XFAIL -> "";
                    case FAIL -> "<failure message=\"" + xml(String.join("; ", x.diagnostics())) + "\"/>";
                    case SKIP -> "<skipped message=\"" + xml(x.reason()) + "\"/>";
                    case TIMEOUT -> timeout(x.reason());
                };
                failures += x.status() == Ktap.Status.FAIL ? 1 : 0;
                errors += x.status() == Ktap.Status.TIMEOUT ? 1 : 0;
                skipped += x.status() == Ktap.Status.SKIP ? 1 : 0;
                String note = credited.getOrDefault(new Credited(s.name().startsWith("FRED "), s.arch(), s.variant()),
                        "");
                cases.add(testcase(s.name().replace(' ', '_') + "." + s.arch().yamlName() + "."
                        + s.variant().cliName(), x.name(), body + out(carried(List.of(x)), note)));
            }
        }
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"idtgen.boot\" tests=\"" + cases.size()
                + "\" failures=\"" + failures + "\" errors=\"" + errors + "\" skipped=\"" + skipped + "\">\n"
                + String.join("", cases) + "</testsuite>\n";
    }

    /**
     * A case whose results were carried from a baseline says so in its {@code system-out} (JUnit has no status for
     * "not run this time, verdict kept"): empty for a case this run produced.
     */
    private static String carried(List<TestResult> rs) {
        String c = Verdicts.carried(rs);
        return c.isEmpty() ? "" : c.substring(2) + ": not run in this run, the verdict is the baseline's";
    }

    /** A case's {@code system-out}: its notes, none when there are none. */
    private static String out(String... lines) {
        String text = String.join("; ", java.util.Arrays.stream(lines).filter(l -> !l.isEmpty()).toList());
        return text.isEmpty() ? "" : "<system-out>" + xml(text) + "</system-out>";
    }

    /** A timeout is neither a pass nor a failure: a JUnit error of type "timeout". */
    private static String timeout(String why) {
        return "<error type=\"timeout\" message=\"" + xml(why) + "\"/>";
    }

    private static String testcase(String cls, String name, String body) {
        return "  <testcase classname=\"" + xml(cls) + "\" name=\"" + xml(name) + "\"" + (body.isEmpty() ? "/>\n"
                : ">" + body + "</testcase>\n");
    }

    /** {@code s} escaped for XML and HTML text and attributes, control characters dropped. */
    static String xml(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                default -> {
                    if (c >= 0x20 || c == '\t') {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }

    /** A variant of an arch, booted through the IDT or through FRED ({@code fred}). */
    public record Credited(boolean fred, Arch arch, Variant variant) {
    }

    public static void write(Path dir, List<Verdicts.Row> rows, List<Suite> suites, List<Arch> arches,
                             Stage stage, Fred fred) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("report.md"), markdown(rows, suites, arches, stage, fred),
                StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("junit.xml"), junit(rows, suites, fred, stage.credited()),
                StandardCharsets.UTF_8);
    }
}
