package dev.idtgen.boot;

import dev.idtgen.io.FileTrees;
import dev.idtgen.kernel.KernelBuilder;
import dev.idtgen.kernel.KernelConfigurator;
import dev.idtgen.kernel.Workspace;
import dev.idtgen.model.Arch;
import dev.idtgen.model.Entry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Makes built kernels ready to boot: what each has compiled in (its variant's table projected on its .config), the programs
 * its delivery's plan takes, and an emptied boot directory with the kernel saved in it ({@link BootStore}).
 */
public record BootKernels(Workspace ws, KernelTables tables, JobPlanner planner) {

    /** A built kernel booted through the IDT, its boots in {@code boot/ARCH-PROFILE/VARIANT}. */
    public BootKernel kernel(KernelBuilder.Build build, Path guests) throws IOException {
        return kernel(build, guests, BootStore.bootDir(ws, build.arch(), build.profile())
                .resolve(build.variant().cliName()));
    }

    /** As {@link #kernel(KernelBuilder.Build, Path)}, with the boots going to {@code dir}. */
    public BootKernel kernel(KernelBuilder.Build build, Path guests, Path dir) throws IOException {
        return prepare(build, guests, dir, Delivery.IDT);
    }

    /**
     * The same built kernel, booted through FRED: its boots go to {@code VARIANT-fred} next to the IDT boots; its
     * programs are those the FRED plan's boots take; what it has "compiled in" is what FRED can deliver (the
     * entries compiled in with a FRED route).
     */
    public BootKernel fredKernel(KernelBuilder.Build build, Path guests) throws IOException {
        return fredKernel(build, guests, BootStore.bootDir(ws, build.arch(), build.profile())
                .resolve(build.variant().cliName() + "-" + Delivery.FRED.cliName()));
    }

    /** As {@link #fredKernel(KernelBuilder.Build, Path)}, with the boots going to {@code dir}. */
    public BootKernel fredKernel(KernelBuilder.Build build, Path guests, Path dir) throws IOException {
        return prepare(build, guests, dir, Delivery.FRED);
    }

    private BootKernel prepare(KernelBuilder.Build build, Path guests, Path dir, Delivery d) throws IOException {
        Arch arch = build.arch();
        var cfg = Expectations.tristates(KernelConfigurator.read(build.buildDir().resolve(".config")));
        Set<String> compiled = Expectations.compiledIn(tables.of(build.variant()), arch, cfg).stream()
                .filter(e -> d == Delivery.IDT || (e.fred() != null && e.fred().exempt() == null))
                .map(Entry::handler).collect(Collectors.toCollection(TreeSet::new));
        List<String> programs = GuestPrograms.list(guests, arch);
        String tag = arch.yamlName() + "-" + build.profile().cliName() + " " + build.variant().cliName()
                + (d == Delivery.IDT ? "" : " " + d.cliName());
        BootKernel probe = new BootKernel(tag, arch, build.variant(), build.profile(), build.bzImage(),
                build.buildDir(), compiled, programs, dir, d);
        if (d != Delivery.IDT) {
            BootPlan plan = planner.plan(probe);
            programs = programs.stream().filter(p -> plan.group(arch, p).isPresent()).toList();
        }
        FileTrees.delete(dir);
        Files.createDirectories(dir);
        BootKernel k = new BootKernel(tag, arch, build.variant(), build.profile(), build.bzImage(), build.buildDir(),
                compiled, programs, dir, d);
        BootStore.saveKernel(k);
        return k;
    }
}
