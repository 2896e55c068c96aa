package dev.idtgen.kernel;

import dev.idtgen.config.ConfigException;
import dev.idtgen.config.YamlDoc;
import dev.idtgen.source.DebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** kernel.yaml from strings: the package, its tarball and the optional archive suite, and every malformed one. */
class KernelInfoTest {

    private static final String ARCHIVE = """
            package: linux-source-7.3
            tarball: /usr/src/linux-source-7.3.tar.xz
            archive: {uri: http://deb.debian.org/debian, suite: trixie-backports, component: main}
            """;

    private static KernelInfo parse(String text) throws ConfigException {
        return KernelInfo.of("7.3", YamlDoc.parse("kernel.yaml", text).asMap());
    }

    @Test
    void withoutArchiveThePackageIsTheMachines() throws ConfigException {
        KernelInfo k = parse("package: linux-source-6.12\ntarball: /usr/src/linux-source-6.12.tar.xz\n");
        assertEquals(new KernelInfo("7.3", "linux-source-6.12", Path.of("/usr/src/linux-source-6.12.tar.xz"),
                Optional.empty()), k);
    }

    @Test
    void archiveNamesOneSuiteAndTheTarballIsInsideThePackage() throws ConfigException {
        KernelInfo k = parse(ARCHIVE);
        assertEquals(Optional.of(new DebArchive("http://deb.debian.org/debian", "trixie-backports", "main")),
                k.archive());
        assertEquals("deb http://deb.debian.org/debian trixie-backports main", k.archive().get().sourcesLine());
        assertEquals(Path.of("/w/apt/7.3/package/usr/src/linux-source-7.3.tar.xz"),
                k.tarballIn(Path.of("/w/apt/7.3/package")));
    }

    @Test
    void blockStyleAndOldStyleSuites() throws ConfigException {
        KernelInfo k = parse(ARCHIVE.replace("archive: {uri: http://deb.debian.org/debian, suite: trixie-backports, "
                + "component: main}", "archive:\n  uri: https://deb.debian.org/debian-security/\n  suite: "
                + "buster/updates\n  component: non-free-firmware"));
        assertEquals("deb https://deb.debian.org/debian-security/ buster/updates non-free-firmware",
                k.archive().get().sourcesLine());
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                bad("component: main}", "component: main, mirror: x}",
                        "3:88: unknown-key: unknown key 'mirror' in archive (allowed: component, suite, uri)"),
                bad(", component: main}", "}", "3:10: missing-key: archive has no 'component'"),
                bad("{uri: http://deb.debian.org/debian,", "{uri: deb.debian.org/debian,",
                        "3:16: bad-value: archive.uri must be an archive's address with its scheme, like "
                                + "http://deb.debian.org/debian, not 'deb.debian.org/debian'"),
                bad("suite: trixie-backports,", "suite: 'trixie backports',",
                        "3:53: bad-value: archive.suite must be a suite name, like trixie-backports or sid, not "
                                + "'trixie backports'"),
                bad("suite: trixie-backports,", "suite: trixie/,", "3:53: bad-value: archive.suite is 'trixie/': "
                        + "a flat repository (a suite ending in /) has no components; name a suite of the archive's "
                        + "dists/"),
                bad("suite: trixie-backports,", "suite: [trixie-backports],",
                        "3:53: wrong-type: archive.suite must be a string, not a list"),
                bad("component: main}", "component: ''}",
                        "3:82: bad-value: archive.component must be a component name, like main, not ''"),
                bad("{uri: http://deb.debian.org/debian, suite: trixie-backports, component: main}",
                        "[http://deb.debian.org/debian, trixie-backports, main]",
                        "3:10: wrong-type: archive must be a mapping, not a list"),
                bad("package: linux-source-7.3", "package: Linux Source 7.3", "1:10: bad-value: package must be a "
                        + "Debian package name, like linux-source-6.12, not 'Linux Source 7.3'"),
                bad("tarball: /usr/src/", "tarball: usr/src/", "2:10: bad-value: tarball must be the absolute path "
                        + "the package installs its tarball at, like /usr/src/linux-source-6.12.tar.xz, not "
                        + "'usr/src/linux-source-7.3.tar.xz'"));
    }

    private static Arguments bad(String from, String to, String expected) {
        if (!ARCHIVE.contains(from)) {
            throw new IllegalArgumentException("no '" + from + "'");
        }
        return Arguments.of(ARCHIVE.replace(from, to), "kernel.yaml:" + expected);
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("malformed")
    void malformedFileIsOneProblemAtItsPlace(String text, String expected) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(text), text);
        assertEquals(1, e.problems().size());
        assertEquals(expected, e.getMessage());
    }

    @Test
    void anArchiveKeyWithoutValueIsAProblem() {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(ARCHIVE.replaceAll("archive: .*",
                "archive:")));
        assertEquals("kernel.yaml:3:1: missing-key: the file has no value for 'archive'", e.getMessage());
    }
}
