package dev.idtgen.boot;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Plans the boots of a kernel from its delivery's boot plan (qemu-tests/boots.yaml, qemu-tests/bochs.yaml): which
 * programs share a boot, with which vCPUs, CPU model and budget, and where each crash is provoked. Pure: no files,
 * no processes.
 */
public final class JobPlanner {

    private final Map<Delivery, BootPlan> plans;

    public JobPlanner(Map<Delivery, BootPlan> plans) {
        this.plans = new EnumMap<>(plans);
    }

    /** The boot plan of a kernel's delivery. */
    public BootPlan plan(BootKernel k) {
        BootPlan p = plans.get(k.delivery());
        if (p == null) {
            throw new IllegalStateException("no " + k.delivery().cliName() + " boots are set up");
        }
        return p;
    }

    /** Every boot of a kernel's programs, one per group of the plan that takes any of them. */
    public List<BootJob> jobs(BootKernel k, List<String> programs) {
        List<BootJob> jobs = new ArrayList<>();
        BootPlan plan = plan(k);
        Map<BootPlan.Group, List<String>> byGroup = new LinkedHashMap<>();
        plan.groups().forEach(g -> byGroup.put(g, new ArrayList<>()));
        for (String p : programs) {
            BootPlan.Group g = plan.group(k.arch(), p).orElseThrow(() -> new IllegalArgumentException(
                    "the " + k.delivery().cliName() + " boot plan: no boot takes program " + p + " on "
                            + k.arch().yamlName()));
            byGroup.get(g).add(p);
        }
        byGroup.forEach((g, ps) -> {
            if (!ps.isEmpty()) {
                jobs.add(job(k, g, ps, 0));
            }
        });
        return jobs;
    }

    /** The job that runs {@code programs} (all of one group) with that group's settings. */
    public BootJob job(BootKernel k, BootPlan.Group g, List<String> programs, int attempt) {
        BootPlan plan = plan(k);
        double budget = plan.limits().boot() + programs.stream().mapToDouble(plan::budget).sum();
        return new BootJob(k, g.name(), null, List.copyOf(programs), g.cpus(), plan.cpu(k.arch(), g.cpu()), attempt,
                budget, g.accel());
    }

    /** A crash in a boot of its own (a crash whose {@code after} boot has no program here, or a re-run). */
    public BootJob crashJob(BootKernel k, BootPlan.Crash c, int attempt) {
        BootPlan plan = plan(k);
        return new BootJob(k, c.mode(), c, List.of(), 1, plan.cpu(k.arch(), c.cpu()), attempt, plan.limits().boot(),
                "tcg");
    }

    /**
     * Every job of a kernel: its programs in their groups, each crash provoked at the end of the boot its
     * {@code after} names (when that boot has programs on this arch), the others in boots of their own.
     */
    public List<BootJob> allJobs(BootKernel k) {
        return jobs(k, programs(k), crashModes(k));
    }

    /** The programs a kernel's full run boots (its profile's). */
    public List<String> programs(BootKernel k) {
        return plan(k).programs(k.profile().cliName(), k.programs());
    }

    /** The crash modes a kernel's full run provokes (its profile's, on its arch). */
    public List<String> crashModes(BootKernel k) {
        BootPlan plan = plan(k);
        List<String> modes = new ArrayList<>();
        for (BootPlan.Crash c : plan.crashes(k.profile().cliName()) ? plan.crashes() : List.<BootPlan.Crash>of()) {
            if (c.arches().contains(k.arch())) {
                modes.add(c.mode());
            }
        }
        return modes;
    }

    /** The boot (group) that takes {@code program} on the kernel; empty when none does. */
    public String group(BootKernel k, String program) {
        return plan(k).group(k.arch(), program).map(BootPlan.Group::name).orElse("");
    }

    /**
     * The jobs that run {@code programs} (each in its group's boot) and provoke {@code crashModes}, each crash at
     * the end of the boot its {@code after} names when that boot runs here, else in a boot of its own: what
     * {@link #allJobs} gives with every program and crash, and a change-aware run with those it re-runs.
     */
    public List<BootJob> jobs(BootKernel k, List<String> programs, Collection<String> crashModes) {
        BootPlan plan = plan(k);
        List<BootJob> jobs = new ArrayList<>(jobs(k, programs));
        for (BootPlan.Crash c : plan.crashes()) {
            if (!c.arches().contains(k.arch()) || !crashModes.contains(c.mode())) {
                continue;
            }
            String after = c.after().get(k.arch());
            int i = 0;
            while (i < jobs.size() && !(jobs.get(i).name().equals(after) && jobs.get(i).crash() == null)) {
                i++;
            }
            if (i < jobs.size()) {
                jobs.set(i, jobs.get(i).withCrash(c, plan.limits().boot()));
            } else {
                jobs.add(crashJob(k, c, 0));
            }
        }
        return jobs;
    }

    /**
     * The job that re-runs a unit on a kernel: a program alone with its group's settings, a crash boot, or a whole
     * group's boot (for what a group's boot as a whole proves). Empty when there is nothing to boot for it.
     */
    public Optional<BootJob> rerunJob(BootKernel k, Unit unit, int attempt) {
        BootPlan plan = plan(k);
        if (unit instanceof Unit.Group grp) {
            var g = plan.group(grp.name());
            if (g.isEmpty()) {
                return Optional.empty();
            }
            List<String> ps = k.programs().stream().filter(p -> plan.group(k.arch(), p).equals(g)).toList();
            return ps.isEmpty() ? Optional.empty() : Optional.of(job(k, g.get(), ps, attempt));
        }
        if (!(unit instanceof Unit.Named named)) {
            return Optional.empty();
        }
        for (BootPlan.Crash c : plan.crashes()) {
            if (c.mode().equals(named.name()) && c.arches().contains(k.arch())) {
                return Optional.of(crashJob(k, c, attempt));
            }
        }
        var g = plan.group(k.arch(), named.name());
        if (g.isEmpty() || !k.programs().contains(named.name())) {
            return Optional.empty();
        }
        return Optional.of(job(k, g.get(), List.of(named.name()), attempt)
                .named(Unit.singleProgramJob(g.get().name(), named.name())));
    }
}
