package dev.idtgen.boot;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the guest's test stream: KTAP (or TAP 13) documents of the test
 * programs, framed by the markers /init prints ({@code # idtgen: begin P},
 * {@code # idtgen: end P exit=N}, {@code # idtgen: done}). Kernel-style KTAP
 * as tools/testing/kunit/kunit_parser.py reads it: {@code ok N name},
 * {@code not ok N name}, {@code # SKIP reason} directives, {@code 1..N}
 * plans, {@code #} diagnostics.
 */
public final class Ktap {

    /**
     * The verdict of one test point. TIMEOUT is its own outcome: a hang detector fired (the guest's or the
     * host's), which says nothing about pass or fail.
     */
    public enum Status { PASS, FAIL, SKIP, XFAIL, TIMEOUT }

    /**
     * A program's run: its results, its plan, its exit code (null when it never ended), and, when /init killed
     * it at its limit, the guest's timeout line ("after 120s"; null otherwise). {@code lines} counts every
     * line it printed, {@code last} is the last of them: how far it got.
     */
    public record Program(String name, List<TestResult> results, Integer planned, Integer exitCode, List<String> problems,
                          String timeout, int lines, String last) {
        /** How far the program got, for a timeout's message. */
        public String progress() {
            return results.size() + (planned == null ? "" : " of " + planned) + " test points reported, " + lines
                    + " lines" + (last.isEmpty() ? "" : ", last: '" + last + "'");
        }
    }

    /** The whole stream. */
    public record Stream(List<Program> programs, boolean done, List<String> injections) {
        public List<TestResult> results() {
            List<TestResult> all = new ArrayList<>();
            programs.forEach(p -> all.addAll(p.results()));
            return all;
        }
    }

    private static final Pattern RESULT = Pattern.compile("^(not ok|ok)\\s+(\\d+)\\s*(?:-\\s*)?([^#]*?)\\s*(?:#\\s*(\\w+)\\s*(.*))?$");
    private static final Pattern PLAN = Pattern.compile("^1\\.\\.(\\d+)\\s*$");

    private Ktap() {
    }

    /** Parses a whole test stream. */
    public static Stream parse(List<String> lines) {
        StreamParser p = new StreamParser();
        for (String raw : lines) {
            p.line(raw.replace("\r", "").stripTrailing());
        }
        return p.finish();
    }

    /** The state of one parse: the programs so far, and the one running (null between programs). */
    private static final class StreamParser {
        private final List<Program> programs = new ArrayList<>();
        private final List<String> injections = new ArrayList<>();
        private boolean done;
        private Running current;

        void line(String line) {
            GuestProtocol.Marker marker = GuestProtocol.parse(line).orElse(null);
            if (marker instanceof GuestProtocol.End e && e.exit() == null) {
                marker = null; // an end without its exit code is no end
            }
            if (marker instanceof GuestProtocol.Begin b) {
                if (current != null) {
                    current.problems.add("no end marker before the next program");
                    programs.add(current.program(null));
                }
                current = new Running(b.program());
            } else if (marker instanceof GuestProtocol.End e) {
                if (current != null) {
                    current.checkPlan();
                    programs.add(current.program(e.exit()));
                }
                current = null;
            } else if (marker instanceof GuestProtocol.Timeout t && current != null
                    && t.program().equals(current.name)) {
                current.timeout = t.after();
            } else if (marker instanceof GuestProtocol.Done) {
                done = true;
            } else if (marker instanceof GuestProtocol.Inject i) {
                injections.add(i.request());
            } else if (current != null) {
                current.count++; // the program's own lines: how far it got
                current.last = line;
            }
            if (current != null && !GuestProtocol.isProtocolLine(line)) {
                current.ktap(line);
            }
        }

        Stream finish() {
            if (current != null) {
                current.problems.add("the program never ended (hang or crash)");
                programs.add(current.program(null));
            }
            return new Stream(programs, done, injections);
        }
    }

    /** A program between its begin and end markers: its KTAP so far. */
    private static final class Running {
        private final String name;
        private final List<TestResult> results = new ArrayList<>();
        private final List<String> problems = new ArrayList<>();
        private List<String> diags = new ArrayList<>();
        private Integer plan;
        private String timeout;
        private int count;
        private String last = "";

        Running(String name) {
            this.name = name;
        }

        /** One line of the program's own output: a plan, a test point, a diagnostic, or anything else. */
        void ktap(String line) {
            Matcher m;
            if ((m = PLAN.matcher(line)).matches()) {
                plan = Integer.parseInt(m.group(1));
            } else if ((m = RESULT.matcher(line)).matches()) {
                boolean ok = m.group(1).equals("ok");
                String directive = m.group(4) == null ? "" : m.group(4).toUpperCase(java.util.Locale.ROOT);
                Status st = directive.equals("SKIP") ? Status.SKIP
                        : directive.equals("XFAIL") ? Status.XFAIL : ok ? Status.PASS : Status.FAIL;
                results.add(new TestResult(Unit.named(name), Integer.parseInt(m.group(2)), m.group(3).strip(), st,
                        m.group(5) == null ? "" : m.group(5).strip(), List.copyOf(diags)));
                diags = new ArrayList<>();
            } else if (line.startsWith("#")) {
                diags.add(line.substring(1).strip());
            }
        }

        void checkPlan() {
            if (plan != null && plan != results.size() && timeout == null) {
                problems.add("planned " + plan + " tests, reported " + results.size());
            }
        }

        Program program(Integer exitCode) {
            return new Program(name, results, plan, exitCode, problems, timeout, count, last);
        }
    }
}
