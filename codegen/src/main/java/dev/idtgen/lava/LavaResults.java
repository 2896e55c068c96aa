package dev.idtgen.lava;

import dev.idtgen.qemu.Ktap;
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

    private LavaResults() {
    }

    /** The results of one job, whose programs are {@code programs}, from {@code file}. */
    public static List<Ktap.Result> read(Path file, List<String> programs) throws IOException {
        List<Map<?, ?>> cases = cases(file);
        List<Ktap.Result> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        Map<String, Integer> numbers = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        boolean monitorTimedOut = false;
        for (Map<?, ?> c : cases) {
            String suite = str(c.get("definition") != null ? c.get("definition") : c.get("suite"))
                    .replaceFirst("^\\d+_", "");
            String name = str(c.get("case") != null ? c.get("case") : c.get("name"));
            String result = str(c.get("result"));
            Map<?, ?> extra = c.get("extra") instanceof Map<?, ?> e ? e : c.get("metadata") instanceof Map<?, ?> md
                    && md.get("extra") instanceof Map<?, ?> e2 ? e2 : Map.of();
            if (suite.equals("lava")) {
                if (name.equals("lava-test-monitor") && !result.equals("pass")) {
                    monitorTimedOut = true;
                } else if (name.equals("job") && !result.equals("pass")) {
                    problems.add("the LAVA job did not pass: " + str(c.get("error_type")) + " "
                            + str(c.get("error_msg")).strip());
                }
                continue;
            }
            String point = extra.get("test_case_id") != null ? str(extra.get("test_case_id")) : name;
            Ktap.Status st = switch (result) {
                case "pass" -> Ktap.Status.PASS;
                case "fail" -> Ktap.Status.FAIL;
                case "skip" -> Ktap.Status.SKIP;
                default -> Ktap.Status.FAIL;
            };
            seen.add(suite);
            int n = numbers.merge(suite, 1, Integer::sum);
            out.add(new Ktap.Result(suite, n, point, st, st == Ktap.Status.SKIP ? "skipped (LAVA)" : "",
                    st == Ktap.Status.FAIL ? List.of("LAVA result " + result + " (" + file.getFileName() + ")")
                            : List.of()));
        }
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
        for (String p : problems) {
            out.add(harness(programs.isEmpty() ? "lava" : programs.get(0), Ktap.Status.FAIL, p));
        }
        return out;
    }

    private static Ktap.Result harness(String program, Ktap.Status s, String why) {
        return new Ktap.Result(program, 0, program + " harness", s, s == Ktap.Status.TIMEOUT ? why : "",
                List.of(why));
    }

    /** The test cases in {@code file}: a lava-run log (YAML per line) or a results YAML list. */
    static List<Map<?, ?>> cases(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        List<Map<?, ?>> cases = new ArrayList<>();
        Load load = new Load(LoadSettings.builder().setLabel(file.toString()).setCodePointLimit(Integer.MAX_VALUE)
                .build());
        try {
            if (text.startsWith("{")) {
                int line = 0;
                for (String l : text.split("\n")) {
                    line++;
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
