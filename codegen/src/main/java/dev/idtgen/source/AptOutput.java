package dev.idtgen.source;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code apt-get update}, {@code apt-get download --print-uris} and {@code dpkg-deb -f} print (with
 * {@code LC_ALL=C}), read into what idtgen tells the user: which of kernel.yaml's package, suite and uri the
 * archive lacks. Pure: the messages below are apt 2.6.1's, as observed.
 */
public final class AptOutput {

    private AptOutput() {
    }

    /** How an {@code apt-get update} of the private sources list went. */
    public enum Update {
        /** the suite's lists are fresh */
        FRESH,
        /** the archive could not be reached: apt kept the lists it had (if any) */
        UNREACHABLE,
        /** anything else: the message says what */
        FAILED
    }

    /** The outcome of an update and, unless {@link Update#FRESH}, what to tell. */
    public record UpdateResult(Update kind, String message) {
    }

    /** One line of {@code apt-get download --print-uris}: {@code 'URI' FILE SIZE HASH}. */
    public record PackageUri(String uri, String file, long size, String hash) {
        /** The size for messages: {@code 167 MB}. */
        public String megabytes() {
            return Math.round(size / 1e6) + " MB";
        }
    }

    private static final Pattern NO_RELEASE = Pattern.compile("E: The repository '.*' does not have a Release file\\.");
    private static final Pattern NO_COMPONENT = Pattern.compile(
            "W: Skipping acquire of configured file '.*' as repository '.*' doesn't have the component '(.*)'.*");
    private static final Pattern FETCH_WARNING = Pattern.compile("W: Failed to fetch (\\S+)\\s+(.*)");
    private static final Pattern SIGNATURE = Pattern.compile("W: (GPG error|An error occurred during the signature).*");
    private static final Pattern NO_PACKAGE = Pattern.compile("E: Unable to locate package (\\S+)");
    private static final Pattern URI_LINE = Pattern.compile("'([^']+)' (\\S+) (\\d+) (\\S+)");

    /** Reads the output and exit code of {@code apt-get update} of {@code archive}'s one line. */
    public static UpdateResult update(List<String> lines, int exitCode, DebArchive archive) {
        String where = "apt-get update of '" + archive.sourcesLine() + "'";
        Optional<String> release = first(lines, NO_RELEASE);
        if (release.isPresent()) {
            return new UpdateResult(Update.FAILED, archive.uri() + " has no suite " + archive.suite() + " ("
                    + release.get().substring(3) + ")");
        }
        List<String> errors = lines.stream().filter(l -> l.startsWith("E: ")).toList();
        if (!errors.isEmpty()) {
            return new UpdateResult(Update.FAILED, where + " failed: " + String.join(" ", errors));
        }
        for (String l : lines) {
            Matcher m = NO_COMPONENT.matcher(l);
            if (m.matches()) {
                return new UpdateResult(Update.FAILED, "suite " + archive.suite() + " of " + archive.uri()
                        + " has no component " + m.group(1) + " (" + l.substring(3) + ")");
            }
        }
        Optional<String> signature = first(lines, SIGNATURE);
        if (signature.isPresent()) {
            return new UpdateResult(Update.FAILED, where + ": the signature is not valid: " + signature.get());
        }
        for (String l : lines) {
            Matcher m = FETCH_WARNING.matcher(l);
            if (m.matches()) {
                return new UpdateResult(Update.UNREACHABLE, "could not reach " + archive.uri() + ": " + m.group(2)
                        + " (" + m.group(1) + ")");
            }
        }
        if (exitCode != 0) {
            return new UpdateResult(Update.FAILED, where + " failed (exit " + exitCode + ")");
        }
        return new UpdateResult(Update.FRESH, "");
    }

    private static Optional<String> first(List<String> lines, Pattern p) {
        return lines.stream().filter(l -> p.matcher(l).matches()).findFirst();
    }

    /** The result of asking apt where a package is: its line, or why there is none. */
    public record Located(Optional<PackageUri> uri, boolean noSuchPackage, String message) {
    }

    /**
     * Reads {@code apt-get download --print-uris PACKAGE}: the line of {@code pkg} itself (apt falls back to
     * reading a name as a glob or a regular expression, whose other packages do not count).
     */
    public static Located located(List<String> lines, int exitCode, String pkg, DebArchive archive) {
        List<PackageUri> uris = uris(lines);
        List<PackageUri> own = uris.stream().filter(u -> u.file().startsWith(pkg + "_")).toList();
        if (exitCode == 0 && own.size() == 1) {
            return new Located(Optional.of(own.get(0)), false, "");
        }
        boolean unknown = lines.stream().anyMatch(l -> NO_PACKAGE.matcher(l).matches()) || own.isEmpty()
                && exitCode == 0;
        if (unknown) {
            String others = uris.isEmpty() ? "" : " (apt matched only " + String.join(", ", uris.stream()
                    .map(PackageUri::file).toList()) + ")";
            return new Located(Optional.empty(), true, archive.describe() + " has no package " + pkg + others);
        }
        List<String> errors = lines.stream().filter(l -> l.startsWith("E: ")).toList();
        String why = errors.isEmpty() ? own.size() + " lines for " + pkg + ", exit " + exitCode
                : String.join(" ", errors);
        return new Located(Optional.empty(), false, "apt-get download --print-uris " + pkg + " from "
                + archive.describe() + " failed: " + why);
    }

    /** Every {@code 'URI' FILE SIZE HASH} line. */
    public static List<PackageUri> uris(List<String> lines) {
        List<PackageUri> out = new ArrayList<>();
        for (String l : lines) {
            Matcher m = URI_LINE.matcher(l);
            if (m.matches()) {
                out.add(new PackageUri(m.group(1), m.group(2), Long.parseLong(m.group(3)), m.group(4)));
            }
        }
        return out;
    }

    /**
     * What to ask {@code apt-cache pkgnames} for the neighbours of a package the suite lacks: its name without a
     * trailing version ({@code linux-source-7.33} gives {@code linux-source-}).
     */
    public static String family(String pkg) {
        Matcher m = Pattern.compile("(.+?-)[0-9][0-9.]*").matcher(pkg);
        return m.matches() ? m.group(1) : pkg;
    }

    /** The {@code Field: value} lines of {@code dpkg-deb -f DEB FIELD...}, in order. */
    public static Map<String, String> fields(List<String> lines) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String l : lines) {
            int colon = l.indexOf(": ");
            if (colon > 0 && !l.startsWith(" ")) {
                out.put(l.substring(0, colon), l.substring(colon + 2).strip());
            }
        }
        return out;
    }
}
