package dev.idtgen.source;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * apt's output read into what idtgen says, from the exact text apt 2.6.1 printed (LC_ALL=C, {@code apt-get -q -c}
 * the private configuration, stdout and stderr in one stream) on deb.debian.org, 2026-12-07.
 */
class AptOutputTest {

    private static final DebArchive BACKPORTS = new DebArchive("http://deb.debian.org/debian", "trixie-backports",
            "main");
    private static final String PKG = "linux-source-7.3";

    private static List<String> lines(String text) {
        return text.lines().toList();
    }

    @Test
    void freshLists() {
        AptOutput.UpdateResult r = AptOutput.update(lines("""
                Get:1 http://deb.debian.org/debian trixie-backports InRelease [54.0 kB]
                Get:2 http://deb.debian.org/debian trixie-backports/main amd64 Packages [325 kB]
                Fetched 379 kB in 0s (1492 kB/s)
                Reading package lists...
                """), 0, BACKPORTS);
        assertEquals(new AptOutput.UpdateResult(AptOutput.Update.FRESH, ""), r);
    }

    @Test
    void aSuiteTheArchiveLacks() {
        DebArchive typo = new DebArchive("http://deb.debian.org/debian", "trixie-backprots", "main");
        AptOutput.UpdateResult r = AptOutput.update(lines("""
                Ign:1 http://deb.debian.org/debian trixie-backprots InRelease
                Err:2 http://deb.debian.org/debian trixie-backprots Release
                  404  Not Found [IP: 203.0.113.80 80]
                Reading package lists...
                E: The repository 'http://deb.debian.org/debian trixie-backprots Release' does not have a Release file.
                """), 100, typo);
        assertEquals(new AptOutput.UpdateResult(AptOutput.Update.FAILED, "http://deb.debian.org/debian has no suite "
                + "trixie-backprots (The repository 'http://deb.debian.org/debian trixie-backprots Release' does not "
                + "have a Release file.)"), r);
    }

    @Test
    void aComponentTheSuiteLacksIsAFailureThoughAptExitsZero() {
        DebArchive typo = new DebArchive("http://deb.debian.org/debian", "trixie-backports", "mian");
        AptOutput.UpdateResult r = AptOutput.update(lines("""
                Get:1 http://deb.debian.org/debian trixie-backports InRelease [54.0 kB]
                Fetched 54.0 kB in 0s (221 kB/s)
                Reading package lists...
                W: Skipping acquire of configured file 'mian/binary-amd64/Packages' as repository 'http://deb.debian.org/debian trixie-backports InRelease' doesn't have the component 'mian' (component misspelt in sources.list?)
                """), 0, typo);
        assertEquals(AptOutput.Update.FAILED, r.kind());
        assertTrue(r.message().startsWith("suite trixie-backports of http://deb.debian.org/debian has no component "
                + "mian (Skipping acquire of configured file"), r.message());
    }

    @Test
    void anArchiveOutOfReachIsUnreachableThoughAptExitsZero() {
        DebArchive host = new DebArchive("http://deb.debian.invalid/debian", "trixie-backports", "main");
        AptOutput.UpdateResult r = AptOutput.update(lines("""
                Ign:1 http://deb.debian.invalid/debian trixie-backports InRelease
                Ign:1 http://deb.debian.invalid/debian trixie-backports InRelease
                Ign:1 http://deb.debian.invalid/debian trixie-backports InRelease
                Err:1 http://deb.debian.invalid/debian trixie-backports InRelease
                  Could not resolve 'deb.debian.invalid'
                Reading package lists...
                W: Failed to fetch http://deb.debian.invalid/debian/dists/trixie-backports/InRelease  Could not resolve 'deb.debian.invalid'
                W: Some index files failed to download. They have been ignored, or old ones used instead.
                """), 0, host);
        assertEquals(new AptOutput.UpdateResult(AptOutput.Update.UNREACHABLE, "could not reach "
                + "http://deb.debian.invalid/debian: Could not resolve 'deb.debian.invalid' "
                + "(http://deb.debian.invalid/debian/dists/trixie-backports/InRelease)"), r);
    }

    @Test
    void aSignatureAptCannotVerifyFails() {
        AptOutput.UpdateResult r = AptOutput.update(lines("""
                Get:1 http://deb.debian.org/debian trixie-backports InRelease [54.0 kB]
                Err:1 http://deb.debian.org/debian trixie-backports InRelease
                  The following signatures couldn't be verified because the public key is not available: NO_PUBKEY 6ED0E7B82643E131 NO_PUBKEY 78DBA3BC47EF2265
                Reading package lists...
                W: GPG error: http://deb.debian.org/debian trixie-backports InRelease: The following signatures couldn't be verified because the public key is not available: NO_PUBKEY 6ED0E7B82643E131 NO_PUBKEY 78DBA3BC47EF2265
                E: The repository 'http://deb.debian.org/debian trixie-backports InRelease' is not signed.
                """), 100, BACKPORTS);
        assertEquals(new AptOutput.UpdateResult(AptOutput.Update.FAILED, "apt-get update of 'deb "
                + "http://deb.debian.org/debian trixie-backports main' failed: E: The repository "
                + "'http://deb.debian.org/debian trixie-backports InRelease' is not signed."), r);
    }

    @Test
    void aSignatureErrorWithOldListsStillFails() {
        AptOutput.UpdateResult r = AptOutput.update(lines("""
                W: An error occurred during the signature verification. The repository is not updated and the previous index files will be used. GPG error: http://deb.debian.org/debian trixie-backports InRelease: The following signatures were invalid: EXPKEYSIG 6ED0E7B82643E131
                W: Failed to fetch http://deb.debian.org/debian/dists/trixie-backports/InRelease  The following signatures were invalid: EXPKEYSIG 6ED0E7B82643E131
                """), 0, BACKPORTS);
        assertEquals(AptOutput.Update.FAILED, r.kind());
        assertTrue(r.message().contains(": the signature is not valid: W: An error occurred during the signature"),
                r.message());
    }

    @Test
    void aWarningAboutSomethingElseIsNoFailure() {
        AptOutput.UpdateResult r = AptOutput.update(lines("""
                Get:1 http://deb.debian.org/debian trixie-backports InRelease [54.0 kB]
                W: http://deb.debian.org/debian/dists/trixie-backports/InRelease: Key is stored in legacy trusted.gpg keyring (/etc/apt/trusted.gpg), see the DEPRECATION section in apt-key(8) for details.
                """), 0, BACKPORTS);
        assertEquals(AptOutput.Update.FRESH, r.kind());
    }

    @Test
    void anExitCodeAloneFails() {
        assertEquals(new AptOutput.UpdateResult(AptOutput.Update.FAILED, "apt-get update of 'deb "
                + "http://deb.debian.org/debian trixie-backports main' failed (exit 100)"),
                AptOutput.update(List.of("Reading package lists..."), 100, BACKPORTS));
    }

    private static final String PRINTED = "'http://deb.debian.org/debian/pool/main/l/linux/"
            + "linux-source-7.3_7.3.4-1%7ebpo13%2b1_all.deb' linux-source-7.3_7.3.4-1~bpo13+1_all.deb 166780612 "
            + "SHA256:703e369ddd4cce971452f5a593ee55df3a5c10c83caf0fa0df039633ed181ee3";

    @Test
    void theCandidatesUri() {
        AptOutput.Located l = AptOutput.located(List.of(PRINTED), 0, PKG, BACKPORTS);
        AptOutput.PackageUri u = l.uri().orElseThrow();
        assertEquals(new AptOutput.PackageUri("http://deb.debian.org/debian/pool/main/l/linux/"
                + "linux-source-7.3_7.3.4-1%7ebpo13%2b1_all.deb", "linux-source-7.3_7.3.4-1~bpo13+1_all.deb",
                166780612, "SHA256:703e369ddd4cce971452f5a593ee55df3a5c10c83caf0fa0df039633ed181ee3"), u);
        assertEquals("167 MB", u.megabytes());
    }

    @Test
    void aPackageTheSuiteLacks() {
        AptOutput.Located l = AptOutput.located(lines("""
                E: Unable to locate package linux-source-7.33
                E: Couldn't find any package by glob 'linux-source-7.33'
                E: Couldn't find any package by regex 'linux-source-7.33'
                """), 100, "linux-source-7.33", BACKPORTS);
        assertEquals(new AptOutput.Located(Optional.empty(), true, "suite trixie-backports (component main) of "
                + "http://deb.debian.org/debian has no package linux-source-7.33"), l);
    }

    @Test
    void aNameAptReadsAsARegexMatchesOnlyItself() {
        String other = "'http://deb.debian.org/debian/pool/main/l/linux/linux-source-7.2_7.2.12-1%7ebpo13%2b1_all.deb'"
                + " linux-source-7.2_7.2.12-1~bpo13+1_all.deb 164744800 "
                + "SHA256:73ca6c22599ba411ab3179642d33501ca2c90174e13c3c8d86e996ea1cbf2a8f";
        AptOutput.Located l = AptOutput.located(List.of(other), 0, "linux-source-7.", BACKPORTS);
        assertTrue(l.noSuchPackage());
        assertEquals("suite trixie-backports (component main) of http://deb.debian.org/debian has no package "
                + "linux-source-7. (apt matched only linux-source-7.2_7.2.12-1~bpo13+1_all.deb)", l.message());
        assertEquals("linux-source-7.3_7.3.4-1~bpo13+1_all.deb", AptOutput.located(List.of(other, PRINTED), 0, PKG,
                BACKPORTS).uri().orElseThrow().file());
    }

    @Test
    void anotherAptErrorIsQuoted() {
        AptOutput.Located l = AptOutput.located(List.of("E: Can't select candidate version from package "
                + "linux-source-7.3 as it has no candidate"), 100, PKG, BACKPORTS);
        assertFalse(l.noSuchPackage());
        assertEquals("apt-get download --print-uris linux-source-7.3 from suite trixie-backports (component main) of "
                + "http://deb.debian.org/debian failed: E: Can't select candidate version from package "
                + "linux-source-7.3 as it has no candidate", l.message());
    }

    @Test
    void theFamilyOfAPackageName() {
        assertEquals("linux-source-", AptOutput.family("linux-source-7.33"));
        assertEquals("linux-source-", AptOutput.family("linux-source-6.12"));
        assertEquals("linux-sauce", AptOutput.family("linux-sauce"));
    }

    @Test
    void debFields() {
        assertEquals(Map.of("Package", "linux-source-7.3", "Version", "7.3.4-1~bpo13+1"),
                AptOutput.fields(List.of("Package: linux-source-7.3", "Version: 7.3.4-1~bpo13+1")));
    }
}
