package dev.idtgen.boot;

/**
 * What a test result belongs to, and so what must boot again to re-run it: a program or crash mode of the boot
 * plan ({@link Named}), a group's boot as a whole ({@link Group}: what only the whole boot proves, e.g. the clean
 * shutdown of a two-vCPU boot), or no boot at all ({@link NoBoot}: a result that says no boot of the kind ran).
 * Results files, baselines and reports spell a unit by its {@link #id()}: {@code audit-64}, {@code crash-mce},
 * {@code @smp}, {@code @boot}; {@link #parse} reads that spelling back.
 */
public sealed interface Unit permits Unit.Named, Unit.Group, Unit.NoBoot {

    /** The spelling of a group's boot: {@code @} and the group's name. */
    String GROUP_PREFIX = "@";

    /** The separator of a job that re-runs one program of a group alone: {@code group~program}. */
    String SINGLE_PROGRAM = "~";

    /** The unit as results files and reports spell it (also its {@code toString()}). */
    String id();

    /** A program /init runs, or a crash mode of the plan: booted again by name. */
    record Named(String name) implements Unit {
        @Override
        public String id() {
            return name;
        }

        @Override
        public String toString() {
            return id();
        }
    }

    /** The boot of a group of the plan as a whole. */
    record Group(String name) implements Unit {
        @Override
        public String id() {
            return GROUP_PREFIX + name;
        }

        @Override
        public String toString() {
            return id();
        }
    }

    /** No boot of the kind a result needs ran: nothing to boot again for it. */
    record NoBoot() implements Unit {
        @Override
        public String id() {
            return GROUP_PREFIX + "boot";
        }

        @Override
        public String toString() {
            return id();
        }
    }

    static Unit named(String name) {
        return new Named(name);
    }

    static Unit group(String name) {
        return new Group(name);
    }

    /** The unit an {@link #id()} spells. */
    static Unit parse(String id) {
        if (id.equals(new NoBoot().id())) {
            return new NoBoot();
        }
        return id.startsWith(GROUP_PREFIX) ? new Group(id.substring(GROUP_PREFIX.length())) : new Named(id);
    }

    /** The name of the job that re-runs {@code program} of {@code group} alone. */
    static String singleProgramJob(String group, String program) {
        return group + SINGLE_PROGRAM + program;
    }

    /** True for the name of a job that re-ran one program alone (its boot proves nothing about the group's). */
    static boolean isSingleProgramJob(String job) {
        return job.contains(SINGLE_PROGRAM);
    }
}
