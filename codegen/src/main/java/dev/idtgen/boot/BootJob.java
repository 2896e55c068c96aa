package dev.idtgen.boot;

import java.util.List;

/**
 * One boot of a kernel (and the boots that go on after it when a program takes the kernel down): a group's
 * programs, a crash mode provoked at its end (or null), the vCPUs and CPU model, the attempt (0: the main run, N:
 * the Nth re-run), the budget in emulator CPU seconds and the accelerator.
 */
public record BootJob(BootKernel kernel, String name, BootPlan.Crash crash, List<String> programs, int cpus,
                      String cpu, int attempt, double budget, String accel) {

    /**
     * The host cores the boot occupies: one per vCPU with multi-threaded TCG, one in all when one host thread
     * runs every vCPU in turn ({@code accel: tcg,thread=single}).
     */
    public int slots() {
        return accel.contains("thread=single") ? 1 : cpus;
    }

    public String label() {
        return kernel.tag() + " " + name + (attempt == 0 ? "" : " (re-run " + attempt + ")");
    }

    /** The same boot with a crash provoked at its end, and the crash boot's time added to its budget. */
    public BootJob withCrash(BootPlan.Crash c, double crashBudget) {
        return new BootJob(kernel, name, c, programs, cpus, cpu, attempt, budget + crashBudget, accel);
    }

    /** The same boot under another name. */
    public BootJob named(String newName) {
        return new BootJob(kernel, newName, crash, programs, cpus, cpu, attempt, budget, accel);
    }
}
