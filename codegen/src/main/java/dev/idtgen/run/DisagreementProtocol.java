package dev.idtgen.run;

import dev.idtgen.boot.TestResult;
import dev.idtgen.boot.TestKey;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What to do when the stock and the generated kernel of an architecture
 * disagree on a test although their entry code is proven byte-identical
 * ({@code kernel compare}: no difference, the same .config).
 *
 * <p>The rule, written down: every test that disagrees is run again on both
 * kernels, stock and generated alternating, {@code reruns} more times each
 * (the boot plan's {@code limits.reruns}); each kernel then has
 * {@code 1 + reruns} samples of it. If every sample of one kernel is X and
 * every sample of the other is Y, X different from Y, the difference is
 * real and stands: the run fails on it. Otherwise the test is flaky: each
 * kernel's result becomes its majority result (no majority: the first
 * sample's result is kept and the test is "unstable"), and the two are
 * compared again; they disagree only if those differ. Every test that went
 * through the protocol is named in the report with its counts per kernel.
 * When the entry code is not proven identical, nothing is re-run: a
 * disagreement is a failure at once.
 */
public final class DisagreementProtocol {

    /** A sample of one test on one kernel: its status, or ABSENT when the run did not report it. */
    public static final String ABSENT = "absent";

    /** The outcome of the protocol for one test of one architecture. */
    public record Note(String arch, TestKey key, List<String> stock, List<String> generated, String finalStock,
                       String finalGenerated, boolean agree, boolean deterministic) {
        /** "flaky on both kernels: stock 2/3 pass vs generated 2/3 pass" and the like. */
        public String describe() {
            String what = deterministic ? "differs on every run" : agree
                    ? "flaky on " + where() : "still different after the re-runs, flaky on " + where();
            return what + ": stock " + counts(stock, finalStock) + " vs generated " + counts(generated, finalGenerated);
        }

        private String where() {
            boolean s = new LinkedHashSet<>(stock).size() > 1;
            boolean g = new LinkedHashSet<>(generated).size() > 1;
            return s && g ? "both kernels" : s ? "the stock kernel" : g ? "the generated kernel" : "neither kernel";
        }

        private static String counts(List<String> samples, String fin) {
            long n = samples.stream().filter(fin::equals).count();
            return n + "/" + samples.size() + " " + fin;
        }

        /** The test's name. */
        public String name() {
            return key.name();
        }

        /** One line for the run's output and the report: arch, program, test and the judgement. */
        public String line() {
            return arch + " " + program() + ": " + name() + ": " + describe();
        }

        /** The unit to boot again for the test, as reports spell it. */
        public String program() {
            return key.unit().id();
        }
    }

    private DisagreementProtocol() {
    }

    /**
     * The results keyed by program, name and occurrence (a program can report a name twice, e.g. two harness
     * problems).
     */
    public static Map<TestKey, TestResult> keyed(List<TestResult> results) {
        Map<TestKey, TestResult> m = new LinkedHashMap<>();
        Map<TestKey, Integer> seen = new LinkedHashMap<>();
        for (TestResult r : results) {
            int n = seen.merge(r.key(0), 1, Integer::sum);
            m.put(r.key(n), r);
        }
        return m;
    }

    public static String sample(TestResult r) {
        return r == null ? ABSENT : r.status().name().toLowerCase(Locale.ROOT);
    }

    /** The keys on which the two kernels disagree (a different status, or reported by one kernel only). */
    public static List<TestKey> disagreeing(List<TestResult> stock, List<TestResult> generated) {
        Map<TestKey, TestResult> s = keyed(stock);
        Map<TestKey, TestResult> g = keyed(generated);
        Set<TestKey> keys = new LinkedHashSet<>(s.keySet());
        keys.addAll(g.keySet());
        List<TestKey> out = new ArrayList<>();
        for (TestKey k : keys) {
            if (!Objects.equals(sample(s.get(k)), sample(g.get(k)))) {
                out.add(k);
            }
        }
        return out;
    }

    /** Judges one test from its samples per kernel (the first of each is the main run). */
    public static Note judge(String arch, TestKey key, List<String> stock, List<String> generated) {
        boolean sConst = new LinkedHashSet<>(stock).size() == 1;
        boolean gConst = new LinkedHashSet<>(generated).size() == 1;
        if (sConst && gConst) {
            boolean agree = stock.get(0).equals(generated.get(0));
            return new Note(arch, key, stock, generated, stock.get(0), generated.get(0), agree, !agree);
        }
        String fs = majority(stock);
        String fg = majority(generated);
        return new Note(arch, key, stock, generated, fs, fg, fs.equals(fg), false);
    }

    /** The most frequent sample if it is more than half, else the first sample. */
    static String majority(List<String> samples) {
        Map<String, Integer> n = new LinkedHashMap<>();
        samples.forEach(s -> n.merge(s, 1, Integer::sum));
        for (Map.Entry<String, Integer> e : n.entrySet()) {
            if (e.getValue() * 2 > samples.size()) {
                return e.getKey();
            }
        }
        return samples.get(0);
    }

    /**
     * The results of one kernel after the protocol: each judged test takes its final result (a sample that had
     * it), annotated with the note; a test whose final result is "absent" is dropped.
     */
    public static List<TestResult> apply(List<TestResult> results, Map<TestKey, List<TestResult>> samples,
                                          Map<TestKey, Note> notes, boolean stock) {
        Map<TestKey, TestResult> keyed = keyed(results);
        Set<TestKey> done = new LinkedHashSet<>();
        List<TestResult> out = new ArrayList<>();
        for (Map.Entry<TestKey, TestResult> e : keyed.entrySet()) {
            Note note = notes.get(e.getKey());
            done.add(e.getKey());
            if (note == null) {
                out.add(e.getValue());
                continue;
            }
            TestResult r = pick(samples.get(e.getKey()), stock ? note.finalStock() : note.finalGenerated());
            if (r != null) {
                out.add(annotate(r, note));
            }
        }
        for (Map.Entry<TestKey, Note> e : notes.entrySet()) {
            if (!done.contains(e.getKey())) {
                TestResult r = pick(samples.get(e.getKey()), stock ? e.getValue().finalStock()
                        : e.getValue().finalGenerated());
                if (r != null) {
                    out.add(annotate(r, e.getValue()));
                }
            }
        }
        return out;
    }

    private static TestResult pick(List<TestResult> samples, String fin) {
        if (samples == null || fin.equals(ABSENT)) {
            return null;
        }
        return samples.stream().filter(r -> r != null && sample(r).equals(fin)).findFirst().orElse(null);
    }

    private static TestResult annotate(TestResult r, Note n) {
        List<String> d = new ArrayList<>(r.diagnostics());
        d.add("disagreement protocol: " + n.describe());
        return r.judged(r.status(), r.reason(), d);
    }
}
