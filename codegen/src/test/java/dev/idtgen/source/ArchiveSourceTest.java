package dev.idtgen.source;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The stamp of an unpacked package, from strings. */
class ArchiveSourceTest {

    @Test
    void stampRoundTrips() {
        ArchiveSource.Stamp s = new ArchiveSource.Stamp("deb http://deb.debian.org/debian trixie-backports main",
                "linux-source-7.3_7.3.4-1~bpo13+1_all.deb", "SHA256:703e369d", "linux-source-7.3", "7.3.4-1~bpo13+1");
        assertEquals("""
                deb http://deb.debian.org/debian trixie-backports main
                linux-source-7.3_7.3.4-1~bpo13+1_all.deb
                SHA256:703e369d
                linux-source-7.3
                7.3.4-1~bpo13+1
                """, s.text());
        assertEquals(Optional.of(s), ArchiveSource.Stamp.parse(s.text()));
    }

    @Test
    void onlyTheSameFileWithTheSameHashIsNotDownloadedAgain() {
        ArchiveSource.Stamp s = new ArchiveSource.Stamp("deb http://deb.debian.org/debian trixie-backports main",
                "linux-source-7.3_7.3.4-1~bpo13+1_all.deb", "SHA256:703e369d", "linux-source-7.3", "7.3.4-1~bpo13+1");
        assertTrue(s.holds(new AptOutput.PackageUri("http://x/a.deb", "linux-source-7.3_7.3.4-1~bpo13+1_all.deb", 1,
                "SHA256:703e369d")));
        assertFalse(s.holds(new AptOutput.PackageUri("http://x/a.deb", "linux-source-7.3_7.3.5-1~bpo13+1_all.deb", 1,
                "SHA256:1111")), "a new point release");
        assertFalse(s.holds(new AptOutput.PackageUri("http://x/a.deb", "linux-source-7.3_7.3.4-1~bpo13+1_all.deb", 1,
                "SHA256:1111")), "the same name rebuilt");
    }

    @Test
    void aTruncatedStampIsNone() {
        assertEquals(Optional.empty(),
                ArchiveSource.Stamp.parse("deb http://x sid main\nlinux-source-7.3_1_all.deb\n"));
    }
}
