package dev.idtgen.kernel;

import dev.idtgen.model.Arch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A kernel configuration profile: tinyconfig plus the Kconfig fragments of
 * kernel-patch/configs/ named {@code <profile>.config} and
 * {@code <profile>-<arch>.config}, in that order (full also takes tiny's).
 */
public enum Profile {
    TINY, FULL;

    public String cliName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The fragments to merge, in order; the ones that do not exist are skipped. */
    public List<Path> fragments(Path configsDir, Arch arch) {
        List<Path> out = new ArrayList<>();
        List<String> names = this == TINY ? List.of("tiny") : List.of("tiny", "full");
        for (String n : names) {
            for (String f : List.of(n + ".config", n + "-" + arch.yamlName() + ".config")) {
                Path p = configsDir.resolve(f);
                if (Files.isRegularFile(p)) {
                    out.add(p);
                }
            }
        }
        return out;
    }
}
