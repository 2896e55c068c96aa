package dev.idtgen.testsupport;

import dev.idtgen.io.YamlFiles;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a test run's time goes, written when the run ends: {@code target/test-times-unit.yaml} for the unit tests,
 * {@code target/test-times-it.yaml} for the slow suite (a run with any {@code *IT} class). Per test class, slowest
 * first: its wall seconds, how many tests passed, failed and were skipped, and its five slowest tests. The
 * slowest classes are also printed. Registered for every JUnit run by
 * {@code META-INF/services/org.junit.platform.launcher.TestExecutionListener}.
 */
public final class TestTimes implements TestExecutionListener {

    /** One test class's figures. */
    private static final class Figures {
        double seconds;
        int passed;
        int failed;
        int skipped;
        final Map<String, Double> tests = new LinkedHashMap<>();
    }

    private final Map<String, Long> started = new ConcurrentHashMap<>();
    private final Map<String, Figures> classes = new ConcurrentHashMap<>();
    private long planStarted;

    @Override
    public void testPlanExecutionStarted(TestPlan plan) {
        planStarted = System.nanoTime();
    }

    @Override
    public void executionStarted(TestIdentifier id) {
        started.put(id.getUniqueId(), System.nanoTime());
    }

    @Override
    public void executionSkipped(TestIdentifier id, String reason) {
        if (id.isTest()) {
            figures(id).skipped++;
        }
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        Long t0 = started.remove(id.getUniqueId());
        double seconds = t0 == null ? 0 : (System.nanoTime() - t0) / 1e9;
        if (id.getSource().orElse(null) instanceof ClassSource c) {
            figures(c.getClassName()).seconds = seconds;
            return;
        }
        if (!id.isTest()) {
            return;
        }
        Figures f = figures(id);
        switch (result.getStatus()) {
            case SUCCESSFUL -> f.passed++;
            case ABORTED -> f.skipped++; // an assumption that did not hold: a skip with its reason, not a failure
            default -> f.failed++;
        }
        f.tests.put(id.getDisplayName(), seconds);
    }

    private Figures figures(TestIdentifier id) {
        String uid = id.getUniqueId();
        int at = uid.indexOf("[class:");
        String cls = at < 0 ? "(other)" : uid.substring(at + 7, uid.indexOf(']', at));
        return figures(cls);
    }

    private Figures figures(String cls) {
        return classes.computeIfAbsent(cls, k -> new Figures());
    }

    @Override
    public void testPlanExecutionFinished(TestPlan plan) {
        if (classes.isEmpty()) {
            return;
        }
        boolean slow = classes.keySet().stream().anyMatch(c -> c.endsWith("IT"));
        List<Map.Entry<String, Figures>> byTime = new ArrayList<>(classes.entrySet());
        byTime.sort(Comparator.comparingDouble((Map.Entry<String, Figures> e) -> -e.getValue().seconds));
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("wall_seconds", round((System.nanoTime() - planStarted) / 1e9));
        Map<String, Object> all = new LinkedHashMap<>();
        for (Map.Entry<String, Figures> e : byTime) {
            Figures f = e.getValue();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("seconds", round(f.seconds));
            m.put("passed", f.passed);
            m.put("failed", f.failed);
            m.put("skipped", f.skipped);
            Map<String, Object> slowest = new LinkedHashMap<>();
            f.tests.entrySet().stream().sorted(Map.Entry.comparingByValue(Comparator.reverseOrder())).limit(5)
                    .forEach(t -> slowest.put(t.getKey(), round(t.getValue())));
            m.put("slowest", slowest);
            all.put(e.getKey().substring(e.getKey().lastIndexOf('.') + 1), m);
        }
        doc.put("classes", all);
        Path file = Path.of("target", slow ? "test-times-it.yaml" : "test-times-unit.yaml");
        try {
            YamlFiles.write(file, doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (slow) {
            System.out.println("test times (" + file + "):");
            byTime.forEach(e -> System.out.printf("  %-28s %7.1f s%n", e.getKey().substring(e.getKey()
                    .lastIndexOf('.') + 1), e.getValue().seconds));
        }
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
