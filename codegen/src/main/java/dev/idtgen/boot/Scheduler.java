package dev.idtgen.boot;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Runs boot jobs in parallel without overcommitting the host: a job takes as
 * many permits as it has vCPUs, and there are as many permits as the host
 * has cores (a vCPU of a TCG guest is a host thread that wants a whole core;
 * a two-vCPU guest whose second vCPU is descheduled stalls). Jobs with the
 * most vCPUs start first, while every core is free (a job waiting for two
 * cores would leave one idle later on), then the longest first by their
 * expected time, so the long ones overlap the rest. Results come back in the
 * order of the jobs given.
 */
public final class Scheduler {

    /** One job's work. */
    public interface Task<R> {
        R run(BootJob job) throws Exception;
    }

    private final int cores;

    public Scheduler(int cores) {
        this.cores = Math.max(1, cores);
    }

    /** The host's cores, or IDTGEN_BOOT_CORES of {@code environment} when set (for measurements). */
    public static Scheduler forHost(java.util.Map<String, String> environment) {
        String env = environment.get("IDTGEN_BOOT_CORES");
        return new Scheduler(env != null && env.matches("\\d+") ? Integer.parseInt(env)
                : Runtime.getRuntime().availableProcessors());
    }

    public int cores() {
        return cores;
    }

    public <R> List<R> run(List<BootJob> jobs, Task<R> task) throws InterruptedException, java.io.IOException {
        return run(jobs, BootJob::budget, task);
    }

    /** As {@link #run(List, Task)}, with {@code expected} giving each job's expected seconds. */
    public <R> List<R> run(List<BootJob> jobs, java.util.function.ToDoubleFunction<BootJob> expected,
                           Task<R> task) throws InterruptedException, java.io.IOException {
        Semaphore permits = new Semaphore(cores, true);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < jobs.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingInt((Integer i) -> -Math.min(cores, jobs.get(i).slots()))
                .thenComparingDouble(i -> -expected.applyAsDouble(jobs.get(i))));
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(cores, jobs.size())));
        List<Future<R>> futures = new ArrayList<>(jobs.size());
        for (int i = 0; i < jobs.size(); i++) {
            futures.add(null);
        }
        try {
            for (int i : order) {
                BootJob j = jobs.get(i);
                int need = Math.min(cores, j.slots());
                futures.set(i, pool.submit(() -> {
                    permits.acquire(need);
                    try {
                        return task.run(j);
                    } finally {
                        permits.release(need);
                    }
                }));
            }
            List<R> results = new ArrayList<>();
            for (Future<R> f : futures) {
                try {
                    results.add(f.get());
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof java.io.IOException io) {
                        throw io;
                    }
                    if (c instanceof InterruptedException ie) {
                        throw ie;
                    }
                    throw new IllegalStateException(c);
                }
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
