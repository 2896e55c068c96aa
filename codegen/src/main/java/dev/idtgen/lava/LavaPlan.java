package dev.idtgen.lava;

import dev.idtgen.boot.BootPlan;
import dev.idtgen.config.ConfigException;
import dev.idtgen.config.ConfigNode;
import dev.idtgen.config.ListNode;
import dev.idtgen.config.MapNode;
import dev.idtgen.config.YamlDoc;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * qemu-tests/lava.yaml: the dispatcher's configuration, the QEMU options a
 * LAVA device adds, the test monitor's pattern, the timeouts, the real
 * board's boot method, and what LAVA jobs cannot express.
 *
 * @param dispatcher  the dispatcher configuration, as written to dispatcher.yaml
 * @param qemuOptions QEMU options every QEMU device dictionary adds to boots.yaml's line
 * @param pattern     the monitor's regex (groups result and test_case_id)
 * @param fixupdict   the monitor's result mapping
 * @param end         a program monitor's end pattern ({program} replaced)
 * @param maxread     the device's spawn_maxread (bytes LAVA reads at a time)
 * @param wall        a job's wall limit is the direct runner's CPU-time limit times this...
 * @param slack       ...plus this many seconds
 * @param silence     seconds between two result lines (the boot action's timeout)
 * @param board       the real board's device type, boot method, bootloader commands and test-stream connection
 * @param console     the kernel console's connection in a QEMU job and the lines it writes when QEMU exited
 * @param inject      patterns of the programs and crash modes that ask the host for an injection, to their
 *                    requests in order
 * @param connect     the command (and arguments) a device runs to reach a UNIX socket, the socket's path after it
 * @param untested    handlers only units a board job leaves out test, to the key of {@code cannot} that says why
 * @param cannot      what the jobs leave out ("inject", "crash", "fred", "shutdown") to why
 */
public record LavaPlan(Map<String, Object> dispatcher, List<String> qemuOptions, String pattern,
                       Map<String, String> fixupdict, String end, int maxread, double wall, double slack,
                       double silence, Board board, Console console,
                       Map<java.util.regex.Pattern, List<String>> inject, String connect,
                       Map<String, String> untested,
                       Map<String, String> cannot) {

    /** Handler to why no board job tests it (for a board's verdicts: a skip with that reason). */
    public Map<String, String> untestedOnBoard() {
        Map<String, String> m = new LinkedHashMap<>();
        untested.forEach((h, key) -> m.put(h, "no board job tests it: " + cannot.getOrDefault(key, key)
                .replaceAll("\\s+", " ")));
        return m;
    }

    public static final String FILE = "qemu-tests/lava.yaml";

    /**
     * A real board's job settings: its device type, boot method and bootloader commands, the test stream's
     * connection, the kernel arguments only an emulator needs (dropped), and the tags of a board with a FRED CPU.
     */
    public record Board(String deviceType, String method, String commands, String connection, List<String> dropArgs,
                        List<String> fredTags) {
    }

    /**
     * The kernel console of a QEMU job: its connection's name and command ({log}, {exited}, {end}, {socket}
     * replaced), the line it writes once QEMU exited (a test case of the console monitor) and the line after it
     * (the monitor's end).
     */
    public record Console(String connection, String connect, String exited, String end) {
    }

    /** Reads {@code file}; a malformed file is a {@link ConfigException} naming where and why. */
    public static LavaPlan load(Path file) throws IOException {
        MapNode m = YamlDoc.read(file).allowOnly("dispatcher", "qemu_options", "console", "monitor", "timeouts",
                "board", "injections", "connect", "untested_on_board", "cannot");
        MapNode monitor = m.map("monitor").allowOnly("pattern", "fixupdict", "end", "spawn_maxread");
        MapNode t = m.map("timeouts").allowOnly("wall", "slack", "silence");
        MapNode cannotNode = m.map("cannot");
        Map<String, String> cannot = cannotNode.strings();
        for (String key : List.of("inject", "crash", "shutdown", "fred")) {
            if (!cannot.containsKey(key)) {
                throw cannotNode.missing(key);
            }
        }
        return new LavaPlan(m.map("dispatcher").plainMap(), m.stringList("qemu_options"), monitor.string("pattern"),
                monitor.stringMap("fixupdict"), monitor.string("end"), monitor.integer("spawn_maxread"),
                t.number("wall"), t.number("slack"), t.number("silence"), board(m.map("board")),
                console(m.map("console")), inject(m.map("injections")), m.string("connect"),
                untested(m.map("untested_on_board"), cannot), cannot);
    }

    private static Board board(MapNode b) throws ConfigException {
        b.allowOnly("device_type", "method", "commands", "connection", "drop_args", "fred_tags");
        return new Board(b.string("device_type"), b.string("method"), b.string("commands"), b.string("connection"),
                b.stringList("drop_args"), b.stringList("fred_tags"));
    }

    private static Console console(MapNode c) throws ConfigException {
        c.allowOnly("connection", "connect", "exited", "end");
        return new Console(c.string("connection"), c.string("connect"), c.string("exited"), c.string("end"));
    }

    private static Map<java.util.regex.Pattern, List<String>> inject(MapNode m) throws ConfigException {
        Map<java.util.regex.Pattern, List<String>> out = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigNode> e : m.values().entrySet()) {
            ListNode l = e.getValue().asList();
            if (l.size() == 0) {
                throw l.bad(l.path() + " lists no request");
            }
            out.put(BootPlan.glob(e.getKey()), l.strings());
        }
        return out;
    }

    /** The requests a program or crash mode makes, in order; empty for one that makes none. */
    public List<String> requests(String program) {
        for (Map.Entry<java.util.regex.Pattern, List<String>> e : inject.entrySet()) {
            if (e.getKey().matcher(program).matches()) {
                return e.getValue();
            }
        }
        return List.of();
    }

    private static Map<String, String> untested(MapNode m, Map<String, String> cannot) throws ConfigException {
        Map<String, String> u = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigNode> e : m.values().entrySet()) {
            String key = e.getValue().asString();
            if (!cannot.containsKey(key)) {
                throw e.getValue().bad(e.getValue().path() + ": '" + key + "' is not a key of cannot");
            }
            u.put(e.getKey(), key);
        }
        return u;
    }
}
