package dev.idtgen.boot;

import dev.idtgen.kernel.Profile;
import dev.idtgen.kernel.Variant;
import dev.idtgen.model.Arch;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The boots of qemu-tests/boots.yaml planned for a kernel, from the plan alone. */
class JobPlannerTest {

    private static final List<String> PROGRAMS = List.of("audit-64", "irqs-64", "mce-64", "traps-32", "traps-64",
            "ksft_sigreturn-64", "ksft_syscall_numbering-64");

    private final JobPlanner planner;

    JobPlannerTest() throws Exception {
        planner = new JobPlanner(Map.of(Delivery.IDT, BootPlan.load(Path.of("qemu-tests/boots.yaml"))));
    }

    private static BootKernel kernel(Arch arch, Profile profile) {
        Path dir = Path.of("boots");
        return new BootKernel(arch.yamlName() + " stock", arch, Variant.STOCK, profile, dir, dir, Set.of(),
                PROGRAMS, dir);
    }

    @Test
    void programsGoToTheFirstBootWhosePatternsTakeThem() {
        List<BootJob> jobs = planner.jobs(kernel(Arch.X86_64, Profile.TINY), PROGRAMS);
        assertEquals(List.of("smp", "mce", "syscall-numbering", "selftests", "guest"),
                jobs.stream().map(BootJob::name).toList());
        BootJob smp = jobs.get(0);
        assertEquals(List.of("audit-64", "irqs-64"), smp.programs());
        assertEquals(2, smp.cpus());
        assertEquals(1, smp.slots(), "one host thread runs both vCPUs");
        assertEquals("qemu64,vendor=GenuineIntel", jobs.get(1).cpu());
    }

    @Test
    void eachCrashIsProvokedAtTheEndOfTheBootItsAfterNames() {
        List<BootJob> jobs = planner.allJobs(kernel(Arch.X86_64, Profile.TINY));
        BootJob guest = jobs.stream().filter(j -> j.name().equals("guest")).findFirst().orElseThrow();
        assertEquals("crash-bug", guest.crash().mode());
        BootJob selftests = jobs.stream().filter(j -> j.name().equals("selftests")).findFirst().orElseThrow();
        assertEquals("crash-df", selftests.crash().mode());
        BootJob mce = jobs.stream().filter(j -> j.name().equals("mce")).findFirst().orElseThrow();
        assertEquals("crash-mce", mce.crash().mode());
        assertTrue(jobs.stream().noneMatch(j -> j.programs().isEmpty()), "no crash needed a boot of its own");
    }

    @Test
    void theFullProfileBootsItsProgramsAndNoCrash() {
        BootKernel full = kernel(Arch.X86_64, Profile.FULL);
        assertEquals(List.of("audit-64", "irqs-64", "traps-32", "traps-64"), planner.programs(full));
        assertEquals(List.of(), planner.crashModes(full));
    }

    @Test
    void aReRunBootsOneProgramAloneACrashOrAWholeGroup() {
        BootKernel k = kernel(Arch.X86_64, Profile.TINY);
        BootJob one = planner.rerunJob(k, Unit.named("traps-64"), 1).orElseThrow();
        assertEquals("guest~traps-64", one.name());
        assertTrue(Unit.isSingleProgramJob(one.name()));
        assertEquals(List.of("traps-64"), one.programs());
        BootJob crash = planner.rerunJob(k, Unit.named("crash-mce"), 2).orElseThrow();
        assertEquals("crash-mce", crash.crash().mode());
        assertEquals(List.of(), crash.programs());
        BootJob smp = planner.rerunJob(k, Unit.group("smp"), 1).orElseThrow();
        assertEquals(List.of("audit-64", "irqs-64"), smp.programs());
        assertTrue(planner.rerunJob(k, new Unit.NoBoot(), 1).isEmpty());
        assertTrue(planner.rerunJob(k, Unit.named("no-such-program"), 1).isEmpty());
    }

    @Test
    void unitsReadBackAsTheyAreSpelt() {
        for (Unit u : List.of(Unit.named("audit-64"), Unit.named("crash-df"), Unit.group("smp"), new Unit.NoBoot())) {
            assertEquals(u, Unit.parse(u.id()));
        }
        assertEquals("@smp", Unit.group("smp").toString());
    }
}
