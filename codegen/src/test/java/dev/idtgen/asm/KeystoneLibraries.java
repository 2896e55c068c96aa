package dev.idtgen.asm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Test support: a libkeystone to test the JNA layer with, of whatever targets.
 * In order: {@code KEYSTONE_LIBRARY}; {@code keystone} on the library path;
 * the Linux x86-64 native inside a com.github.zhkl0228:keystone jar of the
 * local Maven repository (built with ARM, ARM64 and EVM only), extracted into
 * target/. {@link #reason()} says what was searched when none is found.
 */
final class KeystoneLibraries {

    private static Keystone found;
    private static final List<String> searched = new ArrayList<>();

    private KeystoneLibraries() {
    }

    /** A loaded library, or null (then {@link #reason()}). */
    static synchronized Keystone any() {
        if (found != null || !searched.isEmpty()) {
            return found;
        }
        Keystone k = Keystone.load(System.getenv());
        if (k.loaded()) {
            return found = k;
        }
        searched.add(k.loadError());
        if (!"amd64".equals(System.getProperty("os.arch")) && !"x86_64".equals(System.getProperty("os.arch"))) {
            searched.add("no jar native for os.arch " + System.getProperty("os.arch"));
            return null;
        }
        Path repo = Path.of(System.getProperty("user.home"), ".m2/repository/com/github/zhkl0228/keystone");
        List<Path> jars = new ArrayList<>();
        if (Files.isDirectory(repo)) {
            try (Stream<Path> s = Files.walk(repo)) {
                s.filter(p -> p.getFileName().toString().matches("keystone-[0-9.]+\\.jar"))
                        .sorted(Comparator.reverseOrder()).forEach(jars::add);
            } catch (IOException e) {
                searched.add(repo + ": " + e.getMessage());
            }
        }
        if (jars.isEmpty()) {
            searched.add("no com.github.zhkl0228:keystone jar under " + repo);
        }
        for (Path jar : jars) {
            try (ZipFile z = new ZipFile(jar.toFile())) {
                ZipEntry e = z.getEntry("linux-x86-64/libkeystone.so");
                if (e == null) {
                    searched.add(jar + " has no linux-x86-64/libkeystone.so");
                    continue;
                }
                Path dir = Path.of("target", "keystone-native", jar.getFileName().toString().replace(".jar", ""));
                Files.createDirectories(dir);
                Path so = dir.resolve("libkeystone.so").toAbsolutePath();
                try (InputStream in = z.getInputStream(e)) {
                    Files.copy(in, so, StandardCopyOption.REPLACE_EXISTING);
                }
                k = Keystone.load(so.toString());
                if (k.loaded()) {
                    return found = k;
                }
                searched.add(k.loadError());
            } catch (IOException ex) {
                searched.add(jar + ": " + ex.getMessage());
            }
        }
        return null;
    }

    static synchronized String reason() {
        any();
        return "no libkeystone to test with: " + String.join("; ", searched);
    }
}
