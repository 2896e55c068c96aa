package dev.idtgen.source;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The private apt configuration's files and command lines, from strings. */
class PrivateAptTest {

    private static final DebArchive BACKPORTS = new DebArchive("http://deb.debian.org/debian", "trixie-backports",
            "main");
    private final PrivateApt apt = new PrivateApt(Path.of("/w/apt/7.3"));

    @Test
    void sourcesListIsTheOneLine() {
        assertEquals("# idtgen: the one suite of kernel.yaml's archive\n"
                + "deb http://deb.debian.org/debian trixie-backports main\n", PrivateApt.sourcesText(BACKPORTS));
    }

    @Test
    void configurationPointsEveryPlaceAptWritesOrChoosesByIntoTheDirectory() {
        assertEquals("""
                // idtgen's private, download-only apt configuration: apt-get -c /w/apt/7.3/apt.conf ...
                // written on every run from kernel.yaml's archive; the machine's own apt files stay as they are
                Dir::Etc::sourcelist "/w/apt/7.3/sources.list";
                Dir::Etc::sourceparts "/w/apt/7.3/sources.list.d";
                Dir::Etc::preferences "/w/apt/7.3/preferences";
                Dir::Etc::preferencesparts "/w/apt/7.3/preferences.d";
                Dir::State::lists "/w/apt/7.3/lists";
                Dir::State::status "/w/apt/7.3/status";
                Dir::Cache "/w/apt/7.3/cache";
                #clear APT::Update::Pre-Invoke;
                #clear APT::Update::Post-Invoke;
                #clear APT::Update::Post-Invoke-Success;
                """, apt.confText());
    }

    @Test
    void nothingTrustsWithoutASignature() {
        String all = apt.confText() + PrivateApt.sourcesText(BACKPORTS) + String.join(" ", apt.aptGet("update"));
        for (String insecure : List.of("trusted", "allow-insecure", "AllowInsecure", "AllowUnauthenticated",
                "Check-Valid-Until", "signed-by")) {
            assertFalse(all.contains(insecure), insecure);
        }
    }

    @Test
    void commandLinesReadTheConfiguration() {
        assertEquals(List.of("apt-get", "-q", "-c", "/w/apt/7.3/apt.conf", "update"), apt.aptGet("update"));
        assertEquals(List.of("apt-get", "-q", "-c", "/w/apt/7.3/apt.conf", "download", "--print-uris",
                "linux-source-7.3"), apt.aptGet("download", "--print-uris", "linux-source-7.3"));
        assertEquals(List.of("apt-cache", "-q", "-c", "/w/apt/7.3/apt.conf", "pkgnames", "linux-source-"),
                apt.aptCache("pkgnames", "linux-source-"));
    }

    @Test
    void aRelativeDirectoryIsMadeAbsolute() {
        assertTrue(new PrivateApt(Path.of("work/apt/7.3")).conf().isAbsolute());
    }

    @Test
    void aQuoteInThePathCannotReachTheConfiguration() {
        assertThrows(IllegalArgumentException.class, () -> new PrivateApt(Path.of("/w/a\"b")).confText());
    }

    @Test
    void writeMakesWhatAptExpects(@TempDir Path dir) throws Exception {
        PrivateApt a = new PrivateApt(dir.resolve("apt"));
        a.write(BACKPORTS);
        for (String d : List.of("lists/partial", "cache", "sources.list.d", "preferences.d")) {
            assertTrue(Files.isDirectory(a.dir().resolve(d)), d);
        }
        assertEquals(a.confText(), Files.readString(a.conf()));
        assertEquals(PrivateApt.sourcesText(BACKPORTS), Files.readString(a.sourcesList()));
        assertEquals("", Files.readString(a.dir().resolve("status")));
    }
}
