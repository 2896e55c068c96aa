package dev.idtgen.source;

import dev.idtgen.io.FileTrees;
import dev.idtgen.proc.Step;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A package fetched download-only from a suite of a Debian archive with idtgen's private apt configuration
 * ({@link PrivateApt}), never installed: {@code apt-get update} of the one suite on every call, then apt's
 * candidate, the newest version the suite has (nothing pins one). A new version is downloaded with
 * {@code apt-get download}, unpacked with {@code dpkg-deb -x} into {@code DIR/package} and the .deb dropped; the
 * version unpacked there (read from the .deb, {@code dpkg-deb -f}) is not downloaded again. When the archive
 * cannot be reached, the package already unpacked from the same suite is used, with a warning. The archive is
 * asked once per process and package directory: every tree a command prepares comes from the same version.
 */
public final class ArchiveSource {

    /** The unpacked package: its root directory and its Debian version. */
    public record Fetched(String version, Path root) {
    }

    /** The unpacked .deb this directory holds: which line, which file (apt's hash), which package and version. */
    record Stamp(String line, String file, String hash, String pkg, String version) {
        static final String NAME = ".idtgen-deb";

        String text() {
            return String.join("\n", line, file, hash, pkg, version) + "\n";
        }

        /** True when {@code newest} is the .deb this came from: the same file with the same hash. */
        boolean holds(AptOutput.PackageUri newest) {
            return file.equals(newest.file()) && hash.equals(newest.hash());
        }

        static Optional<Stamp> parse(String text) {
            List<String> l = text.lines().toList();
            return l.size() == 5 ? Optional.of(new Stamp(l.get(0), l.get(1), l.get(2), l.get(3), l.get(4)))
                    : Optional.empty();
        }
    }

    private static final Map<String, String> C_LOCALE = Map.of("LC_ALL", "C");

    /** What this process fetched, by package directory, sources line and package. */
    private static final Map<String, Fetched> FETCHED = new HashMap<>();

    private final PrivateApt apt;
    private final Path log;
    private final PrintWriter out;
    private final String pkg;
    private final DebArchive archive;
    private final String origin;

    /**
     * @param dir    the private apt directory ({@code work/apt/<kernel>})
     * @param origin the file that names the package and the archive, for messages
     */
    public ArchiveSource(Path dir, Path log, PrintWriter out, String pkg, DebArchive archive, String origin) {
        this.apt = new PrivateApt(dir);
        this.log = log;
        this.out = out;
        this.pkg = pkg;
        this.archive = archive;
        this.origin = origin;
    }

    /** The unpacked package, the archive's newest version, downloading and unpacking it when it is new. */
    public Fetched fetch() throws IOException, InterruptedException, Step.Failed {
        String key = packageDir() + "\n" + archive.sourcesLine() + "\n" + pkg;
        synchronized (FETCHED) {
            Fetched f = FETCHED.get(key);
            if (f == null) {
                f = fetchNow();
                FETCHED.put(key, f);
            }
            return f;
        }
    }

    private Fetched fetchNow() throws IOException, InterruptedException, Step.Failed {
        apt.write(archive);
        Optional<Stamp> have = unpacked();
        Step update = step("apt-get update").timeout(600);
        Step.Finished u = update.runAllowingFailure(apt.aptGet("update"));
        AptOutput.UpdateResult r = AptOutput.update(u.lines(), u.exitCode(), archive);
        if (r.kind() == AptOutput.Update.UNREACHABLE && have.isPresent()) {
            out.println("kernel: warning: " + r.message() + "; using " + pkg + " " + have.get().version()
                    + " downloaded before (the archive may have a newer one)");
            out.flush();
            return new Fetched(have.get().version(), packageDir());
        }
        if (r.kind() != AptOutput.Update.FRESH) {
            throw update.failure(pkg + ": " + r.message() + "; see archive in " + origin);
        }
        AptOutput.PackageUri newest = locate();
        if (have.isPresent() && have.get().holds(newest)) {
            return new Fetched(have.get().version(), packageDir());
        }
        return new Fetched(download(newest), packageDir());
    }

    private Step step(String name) {
        return new Step(name, log, out).env(C_LOCALE).keepLines();
    }

    /** Where the unpacked package is. */
    public Path packageDir() {
        return apt.dir().resolve("package");
    }

    private Optional<Stamp> unpacked() throws IOException {
        Path stamp = packageDir().resolve(Stamp.NAME);
        if (!Files.isRegularFile(stamp)) {
            return Optional.empty();
        }
        return Stamp.parse(Files.readString(stamp)).filter(s -> s.line().equals(archive.sourcesLine())
                && s.pkg().equals(pkg));
    }

    /** apt's candidate: the newest version of the package in the suite. */
    private AptOutput.PackageUri locate() throws IOException, InterruptedException, Step.Failed {
        Step s = step("apt-get download --print-uris " + pkg).timeout(300);
        Step.Finished f = s.runAllowingFailure(apt.aptGet("download", "--print-uris", pkg));
        AptOutput.Located l = AptOutput.located(f.lines(), f.exitCode(), pkg, archive);
        if (l.uri().isPresent()) {
            return l.uri().get();
        }
        String hint = l.noSuchPackage() ? neighbours() : "";
        throw s.failure(pkg + ": " + l.message() + hint + "; see package and archive in " + origin);
    }

    /** The suite's packages named like the missing one, for the message. */
    private String neighbours() throws IOException, InterruptedException, Step.Failed {
        String family = AptOutput.family(pkg);
        Step.Finished f = step("apt-cache pkgnames " + family).timeout(300)
                .runAllowingFailure(apt.aptCache("pkgnames", family));
        List<String> names = f.lines().stream().filter(n -> n.startsWith(family)).sorted().toList();
        return names.isEmpty() ? "; it has no package named " + family + "*"
                : "; it has " + String.join(", ", names);
    }

    /** Downloads and unpacks {@code newest}; returns its version. */
    private String download(AptOutput.PackageUri newest) throws IOException, InterruptedException, Step.Failed {
        Path dl = apt.dir().resolve("download");
        FileTrees.delete(dl);
        Files.createDirectories(dl);
        letAptWrite(dl);
        out.println("kernel: downloading " + newest.file() + " (" + newest.megabytes() + "), the newest " + pkg
                + " of " + archive.describe() + ", into " + dl);
        out.flush();
        Step.Finished d = step("apt-get download " + pkg).in(dl).timeout(3600)
                .progressLines(l -> l.startsWith("Get:")).run(apt.aptGet("download", pkg));
        Path deb = dl.resolve(newest.file());
        Step check = step("dpkg-deb -f");
        if (!Files.isRegularFile(deb)) {
            throw check.failure("apt-get download " + pkg + " left no " + deb);
        }
        Map<String, String> fields = AptOutput.fields(check.run(List.of("dpkg-deb", "-f", deb.toString(),
                "Package", "Version")).lines());
        String version = fields.getOrDefault("Version", "");
        if (!pkg.equals(fields.get("Package")) || version.isEmpty()) {
            throw check.failure(deb + " is not a version of " + pkg + " (dpkg-deb -f says " + fields + ")");
        }
        out.printf("kernel: downloaded %s %s in %.1f s, unpacking it into %s%n", pkg, version, d.seconds(),
                packageDir());
        out.flush();
        unpack(deb, new Stamp(archive.sourcesLine(), newest.file(), newest.hash(), pkg, version));
        FileTrees.delete(dl);
        return version;
    }

    private void unpack(Path deb, Stamp stamp) throws IOException, InterruptedException, Step.Failed {
        Path tmp = packageDir().resolveSibling("package.unpacking");
        FileTrees.delete(tmp);
        Files.createDirectories(tmp);
        step("dpkg-deb -x").timeout(900).run(List.of("dpkg-deb", "-x", deb.toString(), tmp.toString()));
        Files.writeString(tmp.resolve(Stamp.NAME), stamp.text());
        FileTrees.delete(packageDir());
        Files.move(tmp, packageDir());
    }

    /**
     * Run as root, apt downloads as its sandbox user {@code _apt} and warns ("Download is performed unsandboxed
     * as root") when that user cannot write the download directory; run as another user it downloads as that
     * user, who made the directory.
     */
    private static void letAptWrite(Path dir) throws IOException {
        if (!"root".equals(System.getProperty("user.name"))) {
            return;
        }
        try {
            Files.setOwner(dir, dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("_apt"));
        } catch (UserPrincipalNotFoundException e) {
            // no sandbox user on this machine: apt downloads as root, and says so in the log
        }
    }
}
