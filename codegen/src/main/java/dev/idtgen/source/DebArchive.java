package dev.idtgen.source;

import dev.idtgen.config.ConfigException;
import dev.idtgen.config.ConfigNode;
import dev.idtgen.config.MapNode;

import java.util.regex.Pattern;

/**
 * One suite of a Debian archive, as {@code kernel.yaml}'s {@code archive} names it:
 * {@code {uri: http://deb.debian.org/debian, suite: trixie-backports, component: main}}.
 * It is the one {@code deb} line of idtgen's private sources list ({@link PrivateApt}).
 */
public record DebArchive(String uri, String suite, String component) {

    /** The keys of an {@code archive} mapping, all required. */
    public static final String URI = "uri";
    public static final String SUITE = "suite";
    public static final String COMPONENT = "component";

    private static final Pattern URI_FORM = Pattern.compile("[a-z][a-z0-9+]*://[^\\s\\[\\]\"]+");
    private static final Pattern SUITE_FORM = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+~/-]*");
    private static final Pattern COMPONENT_FORM = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+/-]*");

    /** Reads an {@code archive} mapping; a missing, unknown or malformed key is a file:line:column problem. */
    public static DebArchive read(MapNode m) throws ConfigException {
        m.allowOnly(URI, SUITE, COMPONENT);
        String uri = checked(m.get(URI), URI_FORM, "an archive's address with its scheme, like "
                + "http://deb.debian.org/debian");
        String suite = checked(m.get(SUITE), SUITE_FORM, "a suite name, like trixie-backports or sid");
        if (suite.endsWith("/")) {
            throw m.get(SUITE).bad(m.get(SUITE).path() + " is '" + suite + "': a flat repository (a suite ending "
                    + "in /) has no components; name a suite of the archive's dists/");
        }
        String component = checked(m.get(COMPONENT), COMPONENT_FORM, "a component name, like main");
        return new DebArchive(uri, suite, component);
    }

    private static String checked(ConfigNode n, Pattern form, String what) throws ConfigException {
        String v = n.asString();
        if (!form.matcher(v).matches()) {
            throw n.bad(n.path() + " must be " + what + ", not '" + v + "'");
        }
        return v;
    }

    /** The sources-list line: {@code deb URI SUITE COMPONENT}. */
    public String sourcesLine() {
        return "deb " + uri + " " + suite + " " + component;
    }

    /** For messages: {@code suite trixie-backports (component main) of http://deb.debian.org/debian}. */
    public String describe() {
        return "suite " + suite + " (component " + component + ") of " + uri;
    }
}
