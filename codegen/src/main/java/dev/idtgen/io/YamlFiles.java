package dev.idtgen.io;

import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

import java.io.IOException;
import java.nio.file.Path;

/** The YAML files idtgen writes for itself (records, results, baselines, job definitions): dumped, then written atomically. */
public final class YamlFiles {

    private YamlFiles() {
    }

    /** Writes {@code data} (maps, lists, scalars) as YAML, block style where a value does not fit a line. */
    public static void write(Path file, Object data) throws IOException {
        AtomicFiles.write(file, dump(data));
    }

    /** Writes {@code data} in block style throughout, lines up to {@code width} characters (files people read). */
    public static void writeBlock(Path file, Object data, int width) throws IOException {
        AtomicFiles.write(file, new Dump(DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).setWidth(width)
                .setDereferenceAliases(true).build()).dumpToString(data));
    }

    /** {@code data} as YAML text. */
    public static String dump(Object data) {
        return new Dump(DumpSettings.builder().setDereferenceAliases(true).build()).dumpToString(data);
    }
}
