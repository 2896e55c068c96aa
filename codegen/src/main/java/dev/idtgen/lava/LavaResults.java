package dev.idtgen.lava;

import dev.idtgen.boot.TestResult;
import dev.idtgen.boot.GuestProtocol;
import dev.idtgen.boot.Unit;

import dev.idtgen.boot.Ktap;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A LAVA job's results as idtgen test results: from {@code lava-run}'s log
 * (one YAML mapping per line on its stderr; the {@code lvl: results} lines)
 * or from a server's results YAML (a list of test cases with
 * {@code suite}/{@code definition}, {@code name}/{@code case}, {@code result}
 * and {@code metadata.extra}/{@code extra}). A case's suite is the program
 * (one monitor per program), its name the KTAP test point's
 * ({@code extra.test_case_id}, as the guest printed it; else the slugged
 * case). LAVA's own cases (suite {@code lava}) judge the job: a test monitor
 * that timed out, or a job that did not pass, becomes a harness result of
 * its own; a program of the job with no case at all fails as never reported
 * (LAVA passes a job whatever its cases say).
 */
public final class LavaResults {

    private static final java.util.regex.Pattern PLAN = java.util.regex.Pattern.compile("1\\.\\.(\\d+)");

    private static final String SELFTEST = "ksft_";

    private LavaResults() {
    }

    /** The results of one job, whose programs are {@code programs}, from {@code file}. */
    public static List<TestResult> read(Path file, List<String> programs) throws IOException {
        return read(file, programs, null);
    }

    /**
     * The results of one job, whose programs are {@code programs} and whose console monitor judges
     * {@code console} (null: the job has none), from {@code file}. The console monitor's cases are the console
     * texts it matched: {@link ConsoleCheck#judge} makes them one result.
     */
    public static List<TestResult> read(Path file, List<String> programs, ConsoleCheck console) throws IOException {
        Map<String, Integer> planned = new LinkedHashMap<>();
        List<Map<?, ?>> cases = cases(file, planned);
        JobReading job = new JobReading(file, programs, console);
        for (Map<?, ?> c : cases) {
            job.add(c);
        }
        return job.results(planned);
    }

    /** One job's results, as its cases come, in their order; then what the cases did not say. */
    private static final class JobReading {
        private final Path file;
        private final List<String> programs;
        private final ConsoleCheck console;
        private final Map<String, String> byLowerCase = new LinkedHashMap<>();
        private final List<TestResult> out = new ArrayList<>();
        private final Set<String> seen = new LinkedHashSet<>();
        private final Map<String, Integer> numbers = new LinkedHashMap<>();
        private final List<String> problems = new ArrayList<>();
        private final List<String> consoleTexts = new ArrayList<>();
        private final Set<String> ended = new LinkedHashSet<>();
        private boolean monitorTimedOut;

        JobReading(Path file, List<String> programs, ConsoleCheck console) {
            this.file = file;
            this.programs = programs;
            this.console = console;
            programs.forEach(p -> byLowerCase.put(p.toLowerCase(java.util.Locale.ROOT).replace(' ', '-'), p));
        }

        /** One test case: LAVA's own, a console text the console monitor matched, or a program's. */
        void add(Map<?, ?> c) {
            String suite = str(c.get("definition") != null ? c.get("definition") : c.get("suite"))
                    .replaceFirst("^\\d+_", "");
            suite = byLowerCase.getOrDefault(suite, suite); // LAVA lowercases a monitor's name into the suite
            String name = str(c.get("case") != null ? c.get("case") : c.get("name"));
            String result = str(c.get("result"));
            if (suite.equals("lava")) {
                lavaCase(c, name, result);
                return;
            }
            Map<?, ?> extra = c.get("extra") instanceof Map<?, ?> e ? e : c.get("metadata") instanceof Map<?, ?> md
                    && md.get("extra") instanceof Map<?, ?> e2 ? e2 : Map.of();
            String point = extra.get("test_case_id") != null ? str(extra.get("test_case_id")) : name;
            if (console != null && suite.equals(console.suite().toLowerCase(java.util.Locale.ROOT))) {
                consoleTexts.add(point);
                return;
            }
            programCase(suite, point, result);
        }

        /** A case of suite {@code lava}: it judges the job, not a program. */
        private void lavaCase(Map<?, ?> c, String name, String result) {
            Object ns = c.get("namespace") != null ? c.get("namespace") : c.get("metadata") instanceof Map<?, ?> md
                    ? md.get("namespace") : null;
            if (name.equals("lava-test-monitor") && !result.equals("pass")) {
                // the console monitor's time-out: its check finds QEMU's exit missing
                monitorTimedOut |= !LavaJobs.CONSOLE_NAMESPACE.equals(ns);
            } else if (name.equals("job") && !result.equals("pass")) {
                problems.add("the LAVA job did not pass: " + str(c.get("error_type")) + " "
                        + str(c.get("error_msg")).strip());
            }
        }

        /** A program's case: its end marker, a bail out, or its next test point. */
        private void programCase(String suite, String point, String result) {
            Ktap.Status st = switch (result) {
                case "pass" -> Ktap.Status.PASS;
                case "fail" -> Ktap.Status.FAIL;
                case "skip" -> Ktap.Status.SKIP;
                default -> Ktap.Status.FAIL;
            };
            seen.add(suite);
            if (point.equals("exit")) {
                ended.add(suite);
                // the end marker's exit code: a selftest's result, as the direct runner judges it
                if (suite.startsWith(SELFTEST)) {
                    out.add(new TestResult(Unit.named(suite), 0, "selftest " + suite.substring(SELFTEST.length()), st,
                            st == Ktap.Status.SKIP ? "KSFT_SKIP" : "", List.of("LAVA exit case " + result)));
                } else if (st == Ktap.Status.FAIL) {
                    out.add(harness(suite, Ktap.Status.FAIL, "exited non-zero (LAVA exit case, " + file + ")"));
                }
                return;
            }
            if (point.equals("Bail out") || point.equals("bail_out")) {
                out.add(harness(suite, Ktap.Status.FAIL, "Bail out! (" + file + ")"));
                return;
            }
            int n = numbers.merge(suite, 1, Integer::sum);
            out.add(new TestResult(Unit.named(suite), n, point, st, st == Ktap.Status.SKIP ? "skipped (LAVA)" : "",
                    st == Ktap.Status.FAIL ? List.of("LAVA result " + result + " (" + file.getFileName() + ")")
                            : List.of()));
        }

        /**
         * The results of the cases read, then a result for each program without one, a time-out that cut the
         * last program short, each plan the cases fall short of ({@code planned}), the console check and the
         * job's own problems.
         */
        List<TestResult> results(Map<String, Integer> planned) {
            for (String p : programs) {
                if (!seen.contains(p)) {
                    out.add(monitorTimedOut
                            ? harness(p, Ktap.Status.TIMEOUT, "no result: LAVA's test monitoring timed out (" + file + ")")
                            : harness(p, Ktap.Status.FAIL, "no result in the LAVA job (" + file + ")"));
                }
            }
            if (monitorTimedOut && seen.containsAll(programs) && !programs.isEmpty()) {
                out.add(harness(programs.get(programs.size() - 1), Ktap.Status.TIMEOUT,
                        "LAVA's test monitoring timed out: the last program may be cut short (" + file + ")"));
            }
            // a lava-run log also holds the guest's lines: a plan the cases fall short of lost a line
            planned.forEach((p, n) -> {
                long got = out.stream().filter(r -> r.unit().equals(Unit.named(p)) && r.number() > 0).count();
                if (got < n && programs.contains(p)) {
                    out.add(harness(p, Ktap.Status.FAIL, "planned " + n + " test points, LAVA reported " + got
                            + " (" + file + ")"));
                }
            });
            if (console != null) {
                out.add(console.judge(consoleTexts, ended.containsAll(programs), file.toString()));
            }
            for (String p : problems) {
                out.add(harness(programs.isEmpty() ? "lava" : programs.get(0), Ktap.Status.FAIL, p));
            }
            return out;
        }
    }

    private static TestResult harness(String program, Ktap.Status s, String why) {
        return new TestResult(Unit.named(program), 0, program + " harness", s, s == Ktap.Status.TIMEOUT ? why : "",
                List.of(why));
    }

    /** The test cases in {@code file}: a lava-run log (YAML per line) or a results YAML list. */
    static List<Map<?, ?>> cases(Path file, Map<String, Integer> planned) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        List<Map<?, ?>> cases = new ArrayList<>();
        Load load = new Load(LoadSettings.builder().setLabel(file.toString()).setCodePointLimit(Integer.MAX_VALUE)
                .build());
        try {
            if (text.startsWith("{")) {
                int line = 0;
                String current = null;
                for (String l : text.split("\n")) {
                    line++;
                    if (l.contains("\"lvl\": \"target\"") || l.contains("\"lvl\": \"feedback\"")) {
                        Object o = load.loadFromString(l);
                        // the console's lines (KUnit's plan among them) are not a program's
                        if (o instanceof Map<?, ?> m && m.get("msg") instanceof String msg
                                && !LavaJobs.CONSOLE_NAMESPACE.equals(m.get("ns"))) {
                            // the marker, wherever it starts
                            var marker = GuestProtocol.parse(msg.strip()).orElse(null);
                            java.util.regex.Matcher n = PLAN.matcher(msg.stripTrailing()); // the top-level plan only
                            if (marker instanceof GuestProtocol.Begin b) {
                                current = b.program();
                            } else if (marker instanceof GuestProtocol.End) {
                                current = null; // what follows the last program is the console's
                            } else if (n.matches() && current != null) {
                                planned.putIfAbsent(current, Integer.parseInt(n.group(1)));
                            }
                        }
                        continue;
                    }
                    if (!l.contains("\"lvl\": \"results\"")) {
                        continue;
                    }
                    Object o = load.loadFromString(l);
                    if (o instanceof Map<?, ?> m && m.get("msg") instanceof Map<?, ?> msg) {
                        cases.add(msg);
                    } else {
                        throw new IOException(file + ":" + line + ": a results line without a mapping");
                    }
                }
                return cases;
            }
            Object o = load.loadFromString(text);
            if (!(o instanceof List<?> l)) {
                throw new IOException(file + ": neither a lava-run log nor a list of LAVA results");
            }
            for (Object x : l) {
                if (x instanceof Map<?, ?> m) {
                    cases.add(m);
                }
            }
            return cases;
        } catch (YamlEngineException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    private static String str(Object o) {
        return o == null ? "" : String.valueOf(o);
    }
}
