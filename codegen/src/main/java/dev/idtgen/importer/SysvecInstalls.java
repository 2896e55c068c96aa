package dev.idtgen.importer;

import dev.idtgen.model.Fred.Route;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The system vectors installed at run time: each
 * {@code sysvec_install(VECTOR, sysvec_x)} in a C file under
 * {@link #INSTALLERS} routes its entry {@code runtime}.
 */
final class SysvecInstalls {

    /** Where the run-time {@code sysvec_install()} calls are (arch/x86/kernel/cpu/mshyperv.c, drivers/xen/events). */
    static final List<String> INSTALLERS = List.of("arch/x86", "drivers/hv", "drivers/xen");

    private static final Pattern INSTALL_WORD = Pattern.compile("\\bsysvec_install\\b");
    private static final Pattern INSTALL = Pattern.compile("sysvec_install\\s*\\(\\s*(\\w+)\\s*,\\s*(\\w+)\\s*\\)\\s*;");

    private final Path dir;
    private final FredRoutes routes;

    /** The calls in the kernel tree {@code dir}, routed in {@code routes}. */
    SysvecInstalls(Path dir, FredRoutes routes) {
        this.dir = dir;
        this.routes = routes;
    }

    void read() throws ImportException {
        for (String d : INSTALLERS) {
            Path root = dir.resolve(d);
            if (!Files.isDirectory(root)) {
                throw new ImportException(root, 0, "no such directory: the run-time sysvec_install() calls are"
                        + " read from " + String.join(", ", INSTALLERS));
            }
            for (Path f : SourceFile.cFiles(root, FileVisitOption.FOLLOW_LINKS)) {
                if (mentionsInstall(f)) {
                    readFile(f);
                }
            }
        }
    }

    /** Whether {@code f} has the word at all (most C files do not: they are not parsed). */
    private static boolean mentionsInstall(Path f) throws ImportException {
        try {
            return Files.readString(f, StandardCharsets.ISO_8859_1).contains("sysvec_install");
        } catch (IOException e) {
            throw new ImportException(f, 0, "cannot read: " + e.getMessage());
        }
    }

    private void readFile(Path f) throws ImportException {
        for (SourceFile.Line l : SourceFile.read(f)) {
            if (l.directive() != null || !INSTALL_WORD.matcher(l.text()).find()) {
                continue;
            }
            Matcher m = INSTALL.matcher(l.text());
            if (!m.matches()) {
                throw new ImportException(f, l.number(), "a sysvec_install() the importer does not read: '"
                        + l.text() + "' (expected 'sysvec_install(VECTOR, sysvec_handler);')");
            }
            routes.systemVector(l, "sysvec_install()", m.group(1), m.group(2), Route.RUNTIME);
        }
    }
}
