package dev.idtgen.proc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Runs one long external step (extracting, patching, building, booting):
 * its whole output goes to a log file, progress goes to the user every few
 * seconds, and a failure names the log and shows its relevant tail.
 */
public final class Step {

    /** A step that failed; the message names the log and carries its tail. */
    public static final class Failed extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient Path log;

        public Failed(String message, Path log) {
            super(message);
            this.log = log;
        }

        public Path log() {
            return log;
        }
    }

    /** What the step printed, for callers that parse it. */
    public record Finished(int exitCode, List<String> lines, double seconds) {
    }

    private final String name;
    private final Path log;
    private final PrintWriter progress;
    private Path cwd;
    private Map<String, String> env = Map.of();
    private long timeoutSeconds = 3600;
    private Predicate<String> progressLine = l -> true;
    private boolean keepLines;

    public Step(String name, Path log, PrintWriter progress) {
        this.name = name;
        this.log = log;
        this.progress = progress;
    }

    public Step in(Path dir) {
        this.cwd = dir;
        return this;
    }

    public Step env(Map<String, String> extra) {
        this.env = extra;
        return this;
    }

    public Step timeout(long seconds) {
        this.timeoutSeconds = seconds;
        return this;
    }

    /** Only lines matching this are shown as "last:" in progress reports. */
    public Step progressLines(Predicate<String> p) {
        this.progressLine = p;
        return this;
    }

    /** Keep every output line in the result (for small outputs that the caller parses). */
    public Step keepLines() {
        this.keepLines = true;
        return this;
    }

    /** Runs the command; returns its result when it exits 0, throws {@link Failed} otherwise. */
    public Finished run(List<String> command) throws Failed, IOException, InterruptedException {
        Finished r = runAllowingFailure(command);
        if (r.exitCode() != 0) {
            throw failure(name + " failed (exit " + r.exitCode() + ")");
        }
        return r;
    }

    /** Runs the command and returns its result whatever its exit code. */
    public Finished runAllowingFailure(List<String> command) throws IOException, InterruptedException, Failed {
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        if (cwd != null) {
            pb.directory(cwd.toFile());
        }
        pb.environment().putAll(env);
        long t0 = System.nanoTime();
        List<String> kept = new ArrayList<>();
        String[] last = {""};
        Process p;
        try (Writer w = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND)) {
            w.write("$ " + String.join(" ", command) + "\n");
            p = pb.start();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        synchronized (w) {
                            w.write(line);
                            w.write('\n');
                        }
                        if (keepLines) {
                            kept.add(line);
                        }
                        if (progressLine.test(line)) {
                            last[0] = line.strip();
                        }
                    }
                } catch (IOException e) {
                    // the process died; its exit code tells
                }
            }, "step-output");
            reader.start();
            long next = 10;
            while (!p.waitFor(1, TimeUnit.SECONDS)) {
                long s = (System.nanoTime() - t0) / 1_000_000_000L;
                if (s >= timeoutSeconds) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                    reader.join(5000);
                    throw failure(name + " did not finish in " + timeoutSeconds + " s and was killed");
                }
                if (s >= next && progress != null) {
                    progress.printf("  %s: %d s%s%n", name, s, last[0].isEmpty() ? "" : ", at: " + clip(last[0]));
                    progress.flush();
                    next = s + 15;
                }
            }
            reader.join();
            synchronized (w) {
                w.write("[exit " + p.exitValue() + "]\n");
            }
        }
        return new Finished(p.exitValue(), kept, (System.nanoTime() - t0) / 1e9);
    }

    /** A failure that names the log and quotes its relevant tail. */
    public Failed failure(String what) throws IOException {
        return new Failed(what + "\nfull log: " + log.toAbsolutePath() + "\n" + tail(log, 25), log);
    }

    /** The error lines of a log (gcc/make/objtool/patch style), or its last lines when there are none. */
    public static String tail(Path log, int n) throws IOException {
        if (!Files.exists(log)) {
            return "";
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        Deque<String> errors = new ArrayDeque<>();
        for (String l : lines) {
            if (l.matches("(?i).*(\\berror\\b|\\*\\*\\*|warning:|fatal|hunk|failed|undefined reference).*")) {
                errors.addLast(l);
                if (errors.size() > n) {
                    errors.removeFirst();
                }
            }
        }
        List<String> pick = errors.isEmpty() ? lines.subList(Math.max(0, lines.size() - n), lines.size())
                : new ArrayList<>(errors);
        StringBuilder b = new StringBuilder();
        for (String l : pick) {
            b.append("  | ").append(l).append('\n');
        }
        return b.toString();
    }

    private static String clip(String s) {
        return s.length() > 70 ? s.substring(0, 67) + "..." : s;
    }
}
