package dev.idtgen.boot;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The guest's wire protocol, host side: the marker lines /init (qemu-tests/guest/init.c) writes on the test stream
 * (ttyS1) around and between the programs' KTAP. Every host reader (the KTAP parser, the hang detector, the QEMU
 * injector, the LAVA job writer and results reader) reads or writes them through this class only.
 *
 * <pre>
 * # idtgen: begin PROGRAM            a program starts
 * # idtgen: end PROGRAM exit=N       it ended with exit code N
 * # idtgen: timeout PROGRAM AFTER    /init killed it at its limit (its backstop)
 * # idtgen: inject REQUEST           the guest asks the host to inject (an NMI, an #MC) now
 * # idtgen: crash MODE DETAIL        what /init does about the crash boot's crash (triggering, survived, ...)
 * # idtgen: done                     every program ran; the guest shuts down
 * </pre>
 */
public final class GuestProtocol {

    /** What every marker line starts with. */
    public static final String PREFIX = "# idtgen: ";

    /** One marker line, parsed. */
    public sealed interface Marker permits Begin, End, Timeout, Inject, Crash, Done {
    }

    public record Begin(String program) implements Marker {
    }

    /** {@code exit} is null when the end line carries no {@code exit=N} (a malformed end). */
    public record End(String program, Integer exit) implements Marker {
    }

    public record Timeout(String program, String after) implements Marker {
    }

    public record Inject(String request) implements Marker {
    }

    public record Crash(String mode, String detail) implements Marker {
    }

    public record Done() implements Marker {
    }

    private static final Pattern MARKER = Pattern.compile("^# idtgen: (begin|end|timeout|inject|crash|done)\\b"
            + "\\s*(\\S+)?\\s*(.*?)\\s*$");
    private static final Pattern EXIT = Pattern.compile("^exit=(-?\\d+)$");

    private GuestProtocol() {
    }

    /** The marker {@code line} is (trailing blanks ignored), or empty for any other line. */
    public static Optional<Marker> parse(String line) {
        Matcher m = MARKER.matcher(line);
        if (!m.matches()) {
            return Optional.empty();
        }
        String arg = m.group(2);
        String rest = m.group(3);
        return Optional.ofNullable(switch (m.group(1)) {
            case "begin" -> arg != null && rest.isEmpty() ? new Begin(arg) : null;
            case "end" -> arg == null ? null : new End(arg, exit(rest));
            case "timeout" -> arg != null && !rest.isEmpty() ? new Timeout(arg, rest) : null;
            case "inject" -> arg != null && rest.isEmpty() ? new Inject(arg) : null;
            case "crash" -> arg == null ? null : new Crash(arg, rest);
            default -> arg == null ? new Done() : null;
        });
    }

    /** True for every line of the protocol's namespace, a marker or not (never a program's own line). */
    public static boolean isProtocolLine(String line) {
        return line.startsWith(PREFIX);
    }

    private static Integer exit(String rest) {
        Matcher e = EXIT.matcher(rest);
        return e.matches() ? Integer.valueOf(e.group(1)) : null;
    }

    /** The line that starts {@code program}. */
    public static String begin(String program) {
        return PREFIX + "begin " + program;
    }

    /** The line by which the guest asks for {@code request}. */
    public static String inject(String request) {
        return PREFIX + "inject " + request;
    }

    /** How every line /init writes about crash {@code mode} starts. */
    public static String crash(String mode) {
        return PREFIX + "crash " + mode;
    }
}
