package dev.idtgen.lava;

import dev.idtgen.boot.Unit;

import dev.idtgen.config.ConfigException;
import dev.idtgen.config.MapNode;

import dev.idtgen.boot.TestResult;
import dev.idtgen.boot.BootPlan;
import dev.idtgen.boot.Judge;
import dev.idtgen.boot.Unit;
import dev.idtgen.boot.Ktap;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a QEMU job's console monitor judges, as the direct runner judges a
 * boot's console: a crash's expected lines (boots.yaml's {@code expect}, and
 * {@code skip_when}, the line that says the emulator could not raise it), or
 * a two-vCPU boot's clean shutdown (no panic, no CPU that failed to stop,
 * QEMU exited on its own after every program ended). The monitor reports
 * each matching console text as a case of suite {@link #unit}, and the line
 * the console connection writes when QEMU exited; {@link #judge} turns
 * those into the direct runner's result. Written into the jobs' index, so
 * that results from a lab are judged by the definition their jobs ran.
 *
 * @param unit       the result's unit: the crash mode, or the boot as a whole
 * @param test       the test point: the crash's ({@code exc_invalid_op bug_oops}) or the clean shutdown's
 * @param expect     regexes (Java syntax) each of which some console text must match
 * @param fail       regexes no console text may match
 * @param skipWhen   a regex that, matched, makes the result a skip with {@code skipReason}; null for none
 * @param skipReason why, for {@code skipWhen}
 * @param needsExit  true when the point needs QEMU to have exited on its own (the clean shutdown)
 * @param exited     the line the console connection writes when QEMU exited (lava.yaml: console.exited)
 */
public record ConsoleCheck(Unit unit, String test, List<String> expect, List<String> fail, String skipWhen,
                           String skipReason, boolean needsExit, String exited) {

    /** Java's quoted literal, {@code \Q...\E} (what {@code Pattern.quote} makes), which Python's re lacks. */
    private static final Pattern QUOTED = Pattern.compile("\\\\Q(.*?)(?:\\\\E|$)", Pattern.DOTALL);

    private static final Pattern LEADING_FLAGS = Pattern.compile("^\\(\\?([imsux]+)\\)(.*)$", Pattern.DOTALL);

    /** The monitor's name, LAVA's test suite ([-_a-zA-Z0-9.]): the crash mode, or {@code shutdown-BOOT}. */
    public String suite() {
        return unit instanceof Unit.Group g ? "shutdown-" + g.name() : unit.id();
    }

    /** A crash's check. */
    public static ConsoleCheck crash(BootPlan.Crash c, String exited) {
        return new ConsoleCheck(Unit.named(c.mode()), c.test(), c.expect().stream().map(Pattern::pattern).toList(), List.of(),
                c.skipWhen() == null ? null : c.skipWhen().pattern(), c.skipReason(), false, exited);
    }

    /** A boot's clean shutdown (the reboot vector), its unit the boot as a whole. */
    public static ConsoleCheck shutdown(String boot, String exited) {
        return new ConsoleCheck(Unit.group(boot), Judge.CLEAN_SHUTDOWN, List.of(),
                Judge.UNCLEAN_SHUTDOWN.stream().map(ConsoleCheck::literal).toList(), null, null, true, exited);
    }

    /** {@code text} as a regex that means the same to Java and to Python: every other character than a letter or a
     * digit escaped. */
    static String literal(String text) {
        StringBuilder b = new StringBuilder();
        text.codePoints().forEach(c -> {
            if (!Character.isLetterOrDigit(c)) {
                b.append('\\');
            }
            b.appendCodePoint(c);
        });
        return b.toString();
    }

    /**
     * The monitor's pattern (Python's re, as LAVA runs it): any of the regexes or {@code exited} as the case's
     * name, an empty result (the fixup dictionary maps it to pass). Python takes inline flags only at the start
     * of a whole pattern: a leading {@code (?i)} becomes a group of its own, {@code (?i:...)}; and it has no
     * {@code \Q...\E}: a quoted literal becomes its characters, escaped.
     */
    public String pattern() {
        List<String> alternatives = new ArrayList<>();
        for (String r : regexes()) {
            Matcher q = QUOTED.matcher(r);
            StringBuilder unquoted = new StringBuilder();
            while (q.find()) {
                q.appendReplacement(unquoted, Matcher.quoteReplacement(literal(q.group(1))));
            }
            q.appendTail(unquoted);
            Matcher m = LEADING_FLAGS.matcher(unquoted);
            alternatives.add(m.matches() ? "(?" + m.group(1) + ":" + m.group(2) + ")" : "(?:" + unquoted + ")");
        }
        alternatives.add(literal(exited));
        return "(?P<test_case_id>" + String.join("|", alternatives) + ")(?P<result>)";
    }

    private List<String> regexes() {
        List<String> all = new ArrayList<>(expect);
        all.addAll(fail);
        if (skipWhen != null) {
            all.add(skipWhen);
        }
        return all;
    }

    /**
     * The result from what the console monitor reported: {@code texts}, the console texts it matched (QEMU
     * exited when {@link #exited} is one of them, or LAVA's slug of it); {@code programsEnded}, whether every
     * program of the boot reported its end; {@code where}, the file, for the reasons.
     */
    public TestResult judge(List<String> texts, boolean programsEnded, String where) {
        String slug = this.exited.strip().toLowerCase(java.util.Locale.ROOT).replaceAll("\\W+", "_");
        boolean qemuExited = texts.contains(this.exited) || texts.contains(slug);
        if (skipWhen != null && seen(skipWhen, texts)) {
            return result(Ktap.Status.SKIP, skipReason);
        }
        List<String> missing = expect.stream().filter(e -> !seen(e, texts)).toList();
        List<String> found = fail.stream().filter(f -> seen(f, texts)).map(f -> f.replaceAll("\\\\(.)", "$1"))
                .toList();
        if (!found.isEmpty()) {
            return result(Ktap.Status.FAIL, "the console of the " + unit + " boot has " + found + " (" + where + ")");
        }
        if (!qemuExited && (!missing.isEmpty() || needsExit)) {
            return result(Ktap.Status.TIMEOUT, "QEMU did not exit before LAVA's console monitor timed out"
                    + (missing.isEmpty() ? "" : ", the console lacks " + missing) + " (" + where + ")");
        }
        if (!missing.isEmpty()) {
            return result(Ktap.Status.FAIL, "the console of the " + unit + " boot lacks " + missing + " (" + where
                    + ")");
        }
        if (needsExit && !programsEnded) {
            return result(Ktap.Status.FAIL, "QEMU exited before every program of the " + unit + " boot ended ("
                    + where + ")");
        }
        return result(Ktap.Status.PASS, "");
    }

    /** True when one of {@code texts} matches {@code regex}. */
    private static boolean seen(String regex, List<String> texts) {
        Pattern p = Pattern.compile(regex);
        return texts.stream().anyMatch(t -> p.matcher(t).find());
    }

    private TestResult result(Ktap.Status s, String why) {
        return new TestResult(unit, 0, test, s, s == Ktap.Status.PASS || s == Ktap.Status.FAIL ? "" : why,
                why.isEmpty() ? List.of() : List.of(why));
    }

    /** As written in the jobs' index. */
    public Map<String, Object> toYaml() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("unit", unit.id());
        m.put("test", test);
        m.put("expect", expect);
        m.put("fail", fail);
        if (skipWhen != null) {
            m.put("skip_when", skipWhen);
            m.put("skip_reason", skipReason);
        }
        m.put("needs_exit", needsExit);
        m.put("exited", exited);
        return m;
    }

    /** From the jobs' index. */
    public static ConsoleCheck fromYaml(MapNode m) throws ConfigException {
        return new ConsoleCheck(Unit.parse(m.string("unit")), m.string("test"), List.copyOf(m.stringList("expect")),
                List.copyOf(m.stringList("fail")), m.optionalString("skip_when").orElse(null),
                m.optionalString("skip_reason").orElse(null), m.bool("needs_exit", false),
                m.optionalString("exited").orElse(null));
    }
}
