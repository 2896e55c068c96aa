package dev.idtgen.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * idtgen's own download-only apt configuration in a directory of the work tree
 * ({@code work/apt/<kernel>/}): {@code apt.conf}, read with {@code apt-get -c}, points apt at a sources list of
 * one {@code deb} line and at its own lists, cache, (empty) dpkg status and (empty) preferences, and clears the
 * machine's {@code apt-get update} hooks. Everything else of the machine's configuration still applies (its
 * proxy, its trusted keyrings: signatures are checked as apt always checks them); none of it is written.
 *
 * <p>Why each setting (measured with apt 2.6.1 on Debian 12):
 * <ul>
 * <li>{@code Dir::Etc::sourcelist}, {@code Dir::Etc::sourceparts}: only the kernel's suite, none of the
 *     machine's;</li>
 * <li>{@code Dir::State::lists}: the package lists and their lock, writable without root; apt wants
 *     {@code lists/partial} to exist (it makes it {@code _apt}'s when run as root);</li>
 * <li>{@code Dir::Cache}: apt's binary caches (as root apt would otherwise write /var/cache/apt/pkgcache.bin
 *     from the private lists); {@code apt-get download} uses no {@code archives/} directory;</li>
 * <li>{@code Dir::State::status}: an empty status, so apt's candidate is the archive's newest version even when
 *     the machine has a newer one installed (with the machine's status, {@code download} of linux-source-6.12
 *     from trixie fails: "Can't find a source to download version '6.12.118-1~deb12u1'");</li>
 * <li>{@code Dir::Etc::preferences}, {@code Dir::Etc::preferencesparts}: no pin of the machine's chooses another
 *     version than the archive's newest;</li>
 * <li>{@code #clear APT::Update::...-Invoke...}: the machine's update hooks (PackageKit, AppStream) are about
 *     the machine's lists, not these.</li>
 * </ul>
 */
public record PrivateApt(Path dir) {

    public PrivateApt {
        dir = dir.toAbsolutePath().normalize();
    }

    public Path conf() {
        return dir.resolve("apt.conf");
    }

    public Path sourcesList() {
        return dir.resolve("sources.list");
    }

    public Path lists() {
        return dir.resolve("lists");
    }

    /** The configuration's text (pure). */
    public String confText() {
        StringBuilder b = new StringBuilder();
        b.append("// idtgen's private, download-only apt configuration: apt-get -c ").append(conf()).append(" ...\n");
        b.append("// written on every run from kernel.yaml's archive; the machine's own apt files stay as they are\n");
        setting(b, "Dir::Etc::sourcelist", sourcesList());
        setting(b, "Dir::Etc::sourceparts", dir.resolve("sources.list.d"));
        setting(b, "Dir::Etc::preferences", dir.resolve("preferences"));
        setting(b, "Dir::Etc::preferencesparts", dir.resolve("preferences.d"));
        setting(b, "Dir::State::lists", lists());
        setting(b, "Dir::State::status", dir.resolve("status"));
        setting(b, "Dir::Cache", dir.resolve("cache"));
        for (String hook : List.of("Pre-Invoke", "Post-Invoke", "Post-Invoke-Success")) {
            b.append("#clear APT::Update::").append(hook).append(";\n");
        }
        return b.toString();
    }

    private static void setting(StringBuilder b, String key, Path value) {
        String v = value.toString();
        if (v.contains("\"") || v.contains("\n")) {
            throw new IllegalArgumentException("an apt.conf value cannot hold a quote or a newline: " + v);
        }
        b.append(key).append(" \"").append(v).append("\";\n");
    }

    /** The sources list's text (pure). */
    public static String sourcesText(DebArchive archive) {
        return "# idtgen: the one suite of kernel.yaml's archive\n" + archive.sourcesLine() + "\n";
    }

    /** {@code apt-get -c apt.conf ARGS...} (pure). */
    public List<String> aptGet(String... args) {
        return tool("apt-get", args);
    }

    /** {@code apt-cache -c apt.conf ARGS...} (pure). */
    public List<String> aptCache(String... args) {
        return tool("apt-cache", args);
    }

    private List<String> tool(String name, String... args) {
        List<String> cmd = new ArrayList<>(List.of(name, "-q", "-c", conf().toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Writes the configuration, the sources list and the directories apt expects. */
    public void write(DebArchive archive) throws IOException {
        for (String d : List.of("lists/partial", "cache", "sources.list.d", "preferences.d")) {
            Files.createDirectories(dir.resolve(d));
        }
        Files.writeString(conf(), confText());
        Files.writeString(sourcesList(), sourcesText(archive));
        Files.writeString(dir.resolve("status"), "");
    }
}
