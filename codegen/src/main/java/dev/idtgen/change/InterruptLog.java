package dev.idtgen.change;

import dev.idtgen.config.ConfigException;
import dev.idtgen.config.ConfigNode;
import dev.idtgen.config.MapNode;
import dev.idtgen.config.YamlDoc;
import dev.idtgen.io.YamlFiles;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * QEMU's interrupt log of one boot ({@code -d int -D FILE}), reduced to the vectors entered in each phase of the
 * boot. QEMU 7.2 TCG starts each exception or interrupt it delivers in protected mode with a line such as
 * <pre>
 *    123: v=0e e=0006 i=0 cpl=3 IP=0033:00000000004011a3 pc=00000000004011a3 SP=002b:00007ffd12345678 CR2=...
 * </pre>
 * ({@code env->regs[R_EAX]=...} instead of {@code CR2=} for every vector but 0x0e), then a register dump, which is
 * skipped. /init (qemu-tests/guest/init.c) marks its phases in the log with {@code int $0x80} and
 * {@code EAX = MAGIC | index << 1 | end}, a system call number no kernel has: first a probe ({@link #INIT}, from a
 * child: /init has started), then a begin and an end around each program (index: its place in the boot's
 * {@code idtgen.tests}) and around the crash of a crash boot ({@link #CRASH}). The marks themselves are no event.
 * Pure: lines in, {@link Phases} out; {@link #reduce(Path, Path)} writes them next to the boot's logs.
 */
public final class InterruptLog {

    /** QEMU's log in a boot directory, deleted once reduced. */
    public static final String FILE = "interrupts.log";
    /** The reduced log in a boot directory. */
    public static final String REDUCED = "interrupts.yaml";

    static final long MAGIC = 0x1d700000L;
    static final int CRASH = 0x7fff;
    static final int INIT = 0x7ffe;

    private static final Pattern EVENT = Pattern.compile(
            "^\\s*\\d+: v=([0-9a-f]{2}) e=[0-9a-f]{4} i=([01]) cpl=(\\d) .*?(?: env->regs\\[R_EAX\\]=([0-9a-f]+))?$");

    /** The vectors of one program's or the crash's window, and whether /init marked its end. */
    public record Window(Set<Integer> vectors, boolean ended) {
        public Window {
            vectors = Set.copyOf(vectors);
        }
    }

    /**
     * Where a boot's events went. {@code kernel}: before the probe mark (the kernel's boot, up to /init);
     * {@code init}: after it, outside every window (/init between the programs, and the shutdown);
     * {@code programs}: by index; {@code crash}: empty when there was no crash mark. {@code problem}: empty, or
     * why the marks cannot be trusted (none at all, or out of order): then nothing of the boot is measured.
     */
    public record Phases(Set<Integer> kernel, Set<Integer> init, Map<Integer, Window> programs,
                         Optional<Window> crash, String problem, long events) {
        public Phases {
            kernel = Set.copyOf(kernel);
            init = Set.copyOf(init);
            programs = Map.copyOf(programs);
        }

        public boolean measured() {
            return problem.isEmpty();
        }
    }

    private InterruptLog() {
    }

    /** The phases of the log's {@code lines}. */
    public static Phases parse(Iterator<String> lines) {
        Reducer r = new Reducer();
        while (lines.hasNext()) {
            r.line(lines.next());
        }
        return r.phases();
    }

    /** The phases of the log's {@code lines}. */
    public static Phases parse(List<String> lines) {
        return parse(lines.iterator());
    }

    /** The phases of the log {@code file}. */
    public static Phases parse(Path file) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            return parse(in.lines().iterator());
        }
    }

    /** Parses QEMU's {@code log} into {@code dir}'s {@link #REDUCED} and deletes it; none: nothing is written. */
    public static Optional<Phases> reduce(Path log, Path dir) throws IOException {
        if (!Files.isRegularFile(log)) {
            return Optional.empty();
        }
        Phases p = parse(log);
        YamlFiles.write(dir.resolve(REDUCED), toData(p));
        Files.delete(log);
        return Optional.of(p);
    }

    /** The phases {@link #reduce} left in a boot directory; empty when it left none (a Bochs boot, an older one). */
    public static Optional<Phases> read(Path dir) throws IOException {
        Path f = dir.resolve(REDUCED);
        return Files.isRegularFile(f) ? Optional.of(fromNode(YamlDoc.read(f))) : Optional.empty();
    }

    static Map<String, Object> toData(Phases p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("events", p.events());
        if (!p.measured()) {
            m.put("problem", p.problem());
        }
        m.put("kernel", hex(p.kernel()));
        m.put("init", hex(p.init()));
        Map<String, Object> programs = new LinkedHashMap<>();
        new TreeMap<>(p.programs()).forEach((i, w) -> programs.put(Integer.toString(i), window(w)));
        m.put("programs", programs);
        p.crash().ifPresent(w -> m.put("crash", window(w)));
        return m;
    }

    private static Map<String, Object> window(Window w) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("vectors", hex(w.vectors()));
        m.put("ended", w.ended());
        return m;
    }

    static Phases fromNode(MapNode m) throws ConfigException {
        m.allowOnly("events", "problem", "kernel", "init", "programs", "crash");
        Map<Integer, Window> programs = new TreeMap<>();
        MapNode ps = m.map("programs");
        for (String k : ps.keys()) {
            ConfigNode n = ps.get(k);
            try {
                programs.put(Integer.parseInt(k), window(n.asMap()));
            } catch (NumberFormatException e) {
                throw n.bad("a program's index is a number, not '" + k + "'");
            }
        }
        Optional<Window> crash = m.has("crash") ? Optional.of(window(m.map("crash"))) : Optional.empty();
        return new Phases(vectors(m.get("kernel")), vectors(m.get("init")), programs, crash,
                m.string("problem", ""), (long) m.number("events"));
    }

    private static Window window(MapNode m) throws ConfigException {
        m.allowOnly("vectors", "ended");
        return new Window(vectors(m.get("vectors")), m.bool("ended"));
    }

    /** A set of vectors as the files spell it: {@code "0x0e 0x80"}. */
    static String hex(Set<Integer> vectors) {
        List<String> l = new ArrayList<>();
        new TreeSet<>(vectors).forEach(v -> l.add(String.format("0x%02x", v)));
        return String.join(" ", l);
    }

    /** The set {@link #hex} spelled; anything else is a positioned error. */
    static Set<Integer> vectors(ConfigNode n) throws ConfigException {
        Set<Integer> out = new TreeSet<>();
        String s = n.isNull() ? "" : n.asString().strip();
        for (String v : s.isEmpty() ? new String[0] : s.split("\\s+")) {
            if (!v.matches("0x[0-9a-f]{2}")) {
                throw n.bad("'" + v + "' is not a vector (0x00-0xff)");
            }
            out.add(Integer.parseInt(v.substring(2), 16));
        }
        return out;
    }

    /** The state of one pass over a log. */
    private static final class Reducer {
        private final Set<Integer> kernel = new TreeSet<>();
        private final Set<Integer> init = new TreeSet<>();
        private final Map<Integer, Set<Integer>> windows = new TreeMap<>();
        private final Set<Integer> ended = new TreeSet<>();
        private boolean started;
        /** The window the events go to; null: the kernel's boot or /init's own phases. */
        private Integer open;
        private String problem = "";
        private long events;

        void line(String line) {
            int colon = line.indexOf(": v=");
            if (colon < 0 || colon > 12) {
                return;
            }
            Matcher m = EVENT.matcher(line);
            if (!m.matches()) {
                return;
            }
            events++;
            int vector = Integer.parseInt(m.group(1), 16);
            Long eax = m.group(4) == null ? null : Long.parseUnsignedLong(m.group(4), 16);
            if (vector == 0x80 && m.group(2).equals("1") && m.group(3).equals("3") && eax != null
                    && (eax & ~0xffffL) == MAGIC) {
                mark((int) (eax >> 1) & 0x7fff, (eax & 1) == 1);
                return;
            }
            (open != null ? windows.get(open) : started ? init : kernel).add(vector);
        }

        private void mark(int index, boolean end) {
            if (!problem.isEmpty()) {
                return;
            }
            String what = (index == CRASH ? "the crash" : index == INIT ? "the probe" : "program " + index)
                    + (end ? " ends" : " begins");
            if (index == INIT) {
                if (end || started) {
                    problem = "a mark out of order: " + what + " again";
                }
                started = true;
            } else if (!started) {
                problem = "a mark out of order: " + what + " before the probe";
            } else if (!end && open == null && !windows.containsKey(index)) {
                windows.put(index, new TreeSet<>());
                open = index;
            } else if (end && open != null && open == index) {
                ended.add(index);
                open = null;
            } else {
                problem = "a mark out of order: " + what + (open == null ? "" : " while "
                        + (open == CRASH ? "the crash" : "program " + open) + " runs");
            }
        }

        Phases phases() {
            if (problem.isEmpty() && !started) {
                problem = "no marks: /init could not make them (a 64-bit /init needs IA32_EMULATION for int $0x80)";
            }
            Map<Integer, Window> programs = new TreeMap<>();
            windows.forEach((i, vs) -> {
                if (i != CRASH) {
                    programs.put(i, new Window(vs, ended.contains(i)));
                }
            });
            Optional<Window> crash = windows.containsKey(CRASH)
                    ? Optional.of(new Window(windows.get(CRASH), ended.contains(CRASH))) : Optional.empty();
            return new Phases(kernel, init, programs, crash, problem, events);
        }
    }
}
