package dev.idtgen.boot;

import java.util.List;

/**
 * One boot as the judge reads it: its record, the kernel console, and the guest's test stream (ttyS1) by line.
 * Made from the files of a boot directory ({@link BootStore#log}) or, in tests, from strings.
 */
public record BootLog(BootRecord record, String console, List<String> testLines) {

    public BootLog {
        testLines = List.copyOf(testLines);
    }

    /** The test stream as the guest wrote it. */
    public Ktap.Stream stream() {
        return Ktap.parse(testLines);
    }
}
