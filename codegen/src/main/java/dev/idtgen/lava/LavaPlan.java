package dev.idtgen.lava;

import dev.idtgen.boot.BootPlan;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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

    @SuppressWarnings("unchecked")
    public static LavaPlan load(Path file) throws IOException {
        Map<String, Object> m;
        try {
            m = (Map<String, Object>) new Load(LoadSettings.builder().setLabel(file.toString()).build())
                    .loadFromString(Files.readString(file, StandardCharsets.UTF_8));
            Map<String, Object> monitor = (Map<String, Object>) need(file, m, "monitor");
            Map<String, Object> t = (Map<String, Object>) need(file, m, "timeouts");
            Map<String, Object> b = (Map<String, Object>) need(file, m, "board");
            Map<String, Object> c = (Map<String, Object>) need(file, m, "console");
            Map<String, String> fix = new LinkedHashMap<>();
            ((Map<String, Object>) need(file, monitor, "fixupdict")).forEach((k, v) -> fix.put(k, String.valueOf(v)));
            Map<String, String> cannot = new LinkedHashMap<>();
            ((Map<String, Object>) need(file, m, "cannot")).forEach((k, v) -> cannot.put(k, String.valueOf(v)));
            for (String key : List.of("inject", "crash", "shutdown", "fred")) {
                if (!cannot.containsKey(key)) {
                    throw new IOException(file + ": cannot." + key + ": missing (why the jobs leave it out)");
                }
            }
            return new LavaPlan((Map<String, Object>) need(file, m, "dispatcher"),
                    List.copyOf((List<String>) need(file, m, "qemu_options")), (String) need(file, monitor, "pattern"),
                    fix, (String) need(file, monitor, "end"), (int) number(file, monitor, "spawn_maxread"),
                    number(file, t, "wall"), number(file, t, "slack"), number(file, t, "silence"),
                    new Board((String) need(file, b, "device_type"), (String) need(file, b, "method"),
                            (String) need(file, b, "commands"), (String) need(file, b, "connection"),
                            List.copyOf((List<String>) need(file, b, "drop_args")),
                            List.copyOf((List<String>) need(file, b, "fred_tags"))),
                    new Console((String) need(file, c, "connection"), (String) need(file, c, "connect"),
                            (String) need(file, c, "exited"),
                            (String) need(file, c, "end")),
                    inject(file, (Map<String, Object>) need(file, m, "injections")),
                    (String) need(file, m, "connect"),
                    untested(file, (Map<String, Object>) need(file, m, "untested_on_board"), cannot), cannot);
        } catch (YamlEngineException | ClassCastException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }


    @SuppressWarnings("unchecked")
    private static Map<java.util.regex.Pattern, List<String>> inject(Path file, Map<String, Object> m)
            throws IOException {
        Map<java.util.regex.Pattern, List<String>> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : m.entrySet()) {
            if (!(e.getValue() instanceof List<?> l) || l.isEmpty()) {
                throw new IOException(file + ": injections." + e.getKey() + ": not a list of requests");
            }
            out.put(BootPlan.glob(e.getKey()), List.copyOf((List<String>) l));
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

    private static Map<String, String> untested(Path file, Map<String, Object> m, Map<String, String> cannot)
            throws IOException {
        Map<String, String> u = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : m.entrySet()) {
            String key = String.valueOf(e.getValue());
            if (!cannot.containsKey(key)) {
                throw new IOException(file + ": untested_on_board." + e.getKey() + ": '" + key
                        + "' is not a key of cannot");
            }
            u.put(e.getKey(), key);
        }
        return u;
    }

    private static Object need(Path file, Map<String, Object> m, String key) throws IOException {
        Object v = m.get(key);
        if (v == null) {
            throw new IOException(file + ": missing '" + key + "'");
        }
        return v;
    }

    private static double number(Path file, Map<String, Object> m, String key) throws IOException {
        Object v = need(file, m, key);
        if (!(v instanceof Number n)) {
            throw new IOException(file + ": '" + key + "' is not a number");
        }
        return n.doubleValue();
    }
}
