package dev.idtgen.run;

import dev.idtgen.lava.LavaIndex;
import dev.idtgen.bochs.BochsPlan;
import dev.idtgen.boot.BootKernel;
import dev.idtgen.boot.BootPipeline;
import dev.idtgen.boot.Delivery;
import dev.idtgen.kernel.KernelBuilder;
import dev.idtgen.kernel.Profile;
import dev.idtgen.kernel.Variant;
import dev.idtgen.kernel.Workspace;
import dev.idtgen.lava.LavaJobs;
import dev.idtgen.lava.LavaPlan;
import dev.idtgen.model.Arch;
import dev.idtgen.model.VectorTable;
import dev.idtgen.proc.Step;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code idtgen lava}: the boots of {@code run} as LAVA jobs. For each kernel series, builds (or reuses) stock and
 * generated kernels of both arches as {@code run} does, prepares each kernel through the IDT and, where
 * qemu-tests/bochs.yaml boots it, through FRED, and writes their jobs (QEMU device and board) into {@code out}.
 */
public record LavaExport(LavaPlan lava, Path out, String artifactsUrl, Map<String, String> env,
                         PrintWriter progress) {

    /** One kernel series to write jobs for: its workspace, its table, its generated files. */
    public record Series(String name, Workspace ws, VectorTable table, Path generated) {
    }

    /** {@code env}: the environment the CLI was started with (where Bochs is). */
    public LavaExport {
        env = Map.copyOf(env);
    }

    /** Writes the jobs of every series; returns the index entries written. */
    public List<LavaIndex.Written> write(List<Series> series, Profile profile) throws IOException,
            InterruptedException, Step.Failed {
        List<LavaIndex.Written> index = new ArrayList<>();
        for (Series s : series) {
            // the FRED boots' plan (qemu-tests/bochs.yaml) makes board jobs only: no emulator is needed
            BootPipelines.Boots boots = BootPipelines.create(s.ws(), s.table(), env, progress);
            BootPipeline suite = boots.pipeline();
            List<BootKernel> kernels = kernels(s, boots.fred(), suite, profile);
            index.addAll(new LavaJobs(lava, suite, out, artifactsUrl, progress).write(s.name(), kernels));
        }
        return index;
    }

    private List<BootKernel> kernels(Series s, BochsPlan bochs, BootPipeline suite, Profile profile)
            throws IOException, InterruptedException, Step.Failed {
        Path guests = suite.guests();
        KernelBuilder kb = new KernelBuilder(s.ws(), progress);
        Path dirs = out.toAbsolutePath().resolve("kernels");
        List<BootKernel> kernels = new ArrayList<>();
        for (Arch a : List.of(Arch.X86_64, Arch.I386)) {
            for (Variant v : List.of(Variant.STOCK, Variant.GENERATED)) {
                KernelBuilder.Build b = kb.build(v, a, profile, s.generated());
                kernels.add(suite.kernels().kernel(b, guests, dirs.resolve(LavaIndex.kernelId(s.name(),
                        a.yamlName(), profile.cliName(), v.cliName(), Delivery.IDT.cliName()))));
                if (s.table().fred() && bochs.boots(s.name(), a, profile)) {
                    kernels.add(suite.kernels().fredKernel(b, guests, dirs.resolve(LavaIndex.kernelId(s.name(),
                            a.yamlName(), profile.cliName(), v.cliName(), Delivery.FRED.cliName()))));
                }
            }
        }
        return kernels;
    }

    private static final Pattern LEFT_OUT = Pattern.compile("(.*?)(?:-(?:32|64))? \\((\\S+) job\\)");

    /**
     * What the jobs written add up to: a line with the counts, then one line per kind of job and reason with the
     * units (programs without their bits, crash modes) left out of them for that reason.
     */
    public static List<String> summary(List<LavaIndex.Written> index) {
        long jobs = index.stream().filter(w -> !w.qemuJob().isEmpty()).count();
        long boards = index.stream().filter(w -> !w.boardJob().isEmpty()).count();
        record Reason(String kind, String why) {
        }
        Map<Reason, Set<String>> left = new LinkedHashMap<>(); // the units left out, by kind of job and reason
        index.forEach(w -> w.leftOut().forEach((p, why) -> {
            Matcher m = LEFT_OUT.matcher(p);
            String unit = m.matches() ? m.group(1) : p;
            String kind = m.matches() ? m.group(2) : "";
            left.computeIfAbsent(new Reason(kind, why.replaceAll("\\s+", " ")), x -> new TreeSet<>()).add(unit);
        }));
        List<String> lines = new ArrayList<>();
        lines.add(String.format("lava: %d QEMU jobs and %d board jobs written (index: %s)", jobs, boards,
                LavaIndex.INDEX));
        left.forEach((r, units) -> lines.add("lava: left out of the " + r.kind() + " jobs: "
                + String.join(", ", units) + ": " + r.why()));
        return lines;
    }
}
