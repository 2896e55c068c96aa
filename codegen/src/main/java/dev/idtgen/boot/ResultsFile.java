package dev.idtgen.boot;

import dev.idtgen.config.ConfigException;
import dev.idtgen.config.ConfigNode;
import dev.idtgen.config.MapNode;

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

    /** The results {@link #toData} wrote, read back from their list node; a malformed entry is a positioned error. */
    public static List<TestResult> fromNode(ConfigNode data) throws ConfigException {
        List<TestResult> results = new ArrayList<>();
        for (ConfigNode n : data.asList().items()) {
            MapNode x = n.asMap();
            Ktap.Status status;
            try {
                status = Ktap.Status.valueOf(x.string("status"));
            } catch (IllegalArgumentException e) {
                throw x.get("status").bad("not a status: " + x.string("status"));
            }
            results.add(new TestResult(Unit.parse(x.string("program")), x.integer("number"), x.string("name"), status,
                    x.string("reason"), List.copyOf(x.stringList("diagnostics")), x.string("carried", "")));
        }
        return results;
    }
}
