package dev.idtgen.boot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test results as YAML data (a list of mappings), the way a baseline and a
 * kernel's carried results ({@code carried.yaml}) keep them: every field of
 * {@link TestResult}, {@code carried} only when set.
 */
public final class ResultsFile {

    /** A kernel's results carried from its baseline by a change-aware run, in its boot directory. */
    public static final String CARRIED = "carried.yaml";

    private ResultsFile() {
    }

    public static List<Map<String, Object>> toData(List<TestResult> results) {
        List<Map<String, Object>> rs = new ArrayList<>();
        for (TestResult r : results) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("program", r.unit().id());
            x.put("number", r.number());
            x.put("name", r.name());
            x.put("status", r.status().name());
            x.put("reason", r.reason());
            x.put("diagnostics", r.diagnostics());
            if (r.isCarried()) {
                x.put("carried", r.carried());
            }
            rs.add(x);
        }
        return rs;
    }

    /** The results of {@link #toData}; a malformed entry throws a RuntimeException (the caller names the file). */
    @SuppressWarnings("unchecked")
    public static List<TestResult> fromData(Object data) {
        List<TestResult> results = new ArrayList<>();
        for (Map<String, Object> x : (List<Map<String, Object>>) data) {
            results.add(new TestResult(Unit.parse((String) x.get("program")), ((Number) x.get("number")).intValue(),
                    (String) x.get("name"), Ktap.Status.valueOf((String) x.get("status")),
                    (String) x.get("reason"), List.copyOf((List<String>) x.get("diagnostics")),
                    (String) x.get("carried")));
        }
        return results;
    }
}
