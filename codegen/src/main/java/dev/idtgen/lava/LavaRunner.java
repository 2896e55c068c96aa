package dev.idtgen.lava;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs written QEMU jobs with the installed {@code lava-run} (lava-dispatcher),
 * offline, as root, as many at a time as the host has cores: each job's log
 * (lava-run's stderr) goes to {@code runs/ID.log} next to the jobs, its
 * output directory to {@code runs/ID/}.
 */
public final class LavaRunner {

    /** A finished job: its log, lava-run's exit code and wall seconds. */
    public record Run(LavaIndex.Written job, Path log, int exit, double seconds) {
    }

    private final Path out;
    private final PrintWriter progress;

    public LavaRunner(Path out, PrintWriter progress) {
        this.out = out.toAbsolutePath();
        this.progress = progress;
    }

    /** Why lava-run cannot run here, or null. */
    public static String unavailable() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, "lava-run"))) {
                return "root".equals(System.getProperty("user.name")) ? null
                        : "lava-run runs as root (it mounts and owns /var/lib/lava)";
            }
        }
        return "lava-run is not installed (apt-get install --no-install-recommends lava-dispatcher lava-common)";
    }

    public List<Run> run(List<LavaIndex.Written> jobs) throws IOException, InterruptedException {
        Files.createDirectories(out.resolve("runs"));
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors()));
        try {
            List<Future<Run>> futures = new ArrayList<>();
            int id = 1;
            for (LavaIndex.Written w : jobs) {
                if (w.qemuJob().isEmpty()) {
                    continue;
                }
                int jobId = id++;
                futures.add(pool.submit(() -> one(w, jobId)));
            }
            List<Run> runs = new ArrayList<>();
            for (Future<Run> f : futures) {
                try {
                    runs.add(f.get());
                } catch (ExecutionException e) {
                    throw new IOException("lava-run: " + e.getCause().getMessage(), e.getCause());
                }
            }
            return runs;
        } finally {
            pool.shutdownNow();
        }
    }

    private Run one(LavaIndex.Written w, int jobId) throws IOException, InterruptedException {
        Path log = out.resolve("runs").resolve(w.id() + ".log");
        Path dir = out.resolve("runs").resolve(w.id());
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder("lava-run", "--device", out.resolve(w.device()).toString(), "--dispatcher",
                out.resolve(LavaJobs.DISPATCHER).toString(), "--output-dir", dir.toString(), "--job-id",
                "idtgen-" + ProcessHandle.current().pid() + "-" + jobId, out.resolve(w.qemuJob()).toString())
                .redirectOutput(out.resolve("runs").resolve(w.id() + ".stdout").toFile())
                .redirectError(log.toFile()).start();
        int rc = p.waitFor();
        double s = (System.nanoTime() - t0) / 1e9;
        synchronized (progress) {
            progress.printf("lava: %s: lava-run exit %d, %.1f s (log: %s)%n", w.id(), rc, s, log);
            progress.flush();
        }
        return new Run(w, log, rc, s);
    }
}
