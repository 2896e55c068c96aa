package dev.idtgen.boot;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The host's hang detector, fed the emulator's wall and CPU time and the guest's begin/end markers: it charges the
 * emulator CPU time to the phase it is in (a program, or the boot, the gaps and the end), and decides on a kill
 * when a phase uses more than its limit or the guest stays idle (under 2 % of a CPU) for the idle window. Host
 * load stretches wall time, not the CPU time a program needs, so a kill is a hang detector, never a verdict. Pure:
 * {@link GuestWatch} drives it with a running process, tests with numbers.
 */
final class HangDetector {

    private final GuestWatch.Limits limits;
    private final Map<String, Emulator.Usage> usage = new LinkedHashMap<>();
    private final Deque<double[]> window = new ArrayDeque<>(); // (wall, cpu) samples of the last idleSeconds
    private String phase;
    private double phaseCpu;
    private double phaseWall;

    HangDetector(GuestWatch.Limits limits) {
        this.limits = limits;
    }

    /** A program began at this wall and CPU time. */
    void begin(String program, double wall, double cpu) {
        phase = program;
        phaseCpu = cpu;
        phaseWall = wall;
    }

    /** A program ended: its usage is recorded when it is the one running; the phase between programs begins. */
    void end(String program, double wall, double cpu) {
        if (program.equals(phase)) {
            usage.put(phase, new Emulator.Usage(cpu - phaseCpu, wall - phaseWall));
        }
        phase = null;
        phaseCpu = cpu;
        phaseWall = wall;
    }

    /** One sample of the emulator's times: the kill it calls for, or null. */
    Emulator.Kill sample(double wall, double cpu) {
        double limit = phase == null ? limits.other() : limits.program().applyAsDouble(phase);
        window.addLast(new double[] {wall, cpu});
        while (window.size() > 1 && window.peekFirst()[0] < wall - limits.idleSeconds()) {
            window.removeFirst();
        }
        double[] first = window.peekFirst();
        if (cpu - phaseCpu > limit) {
            return new Emulator.Kill(phase, "timeout: over its limit", limit, cpu - phaseCpu, wall - phaseWall);
        }
        if (wall - phaseWall >= limits.idleSeconds() && wall - first[0] >= limits.idleSeconds() * 0.95
                && cpu - first[1] < 0.02 * (wall - first[0])) {
            return new Emulator.Kill(phase, String.format("timeout: the guest was idle (%.2f s of emulator "
                    + "CPU in the last %.0f s wall)", cpu - first[1], wall - first[0]), limit, cpu - phaseCpu,
                    wall - phaseWall);
        }
        return null;
    }

    /** Each ended program's CPU and wall time. */
    Map<String, Emulator.Usage> usage() {
        return usage;
    }
}
