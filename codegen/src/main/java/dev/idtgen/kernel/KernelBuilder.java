package dev.idtgen.kernel;

import dev.idtgen.model.Arch;
import dev.idtgen.proc.Step;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds bzImage (and vmlinux) of one variant, arch and profile with kbuild:
 * all cores, ccache when installed, reproducible build stamps, the whole
 * output in a log. Reports what was compiled and every objtool warning.
 */
public final class KernelBuilder {

    /** The outcome of one build. */
    public record Build(Variant variant, Arch arch, Profile profile, Path buildDir, Path bzImage, Path vmlinux,
                        double seconds, int compiled, List<String> objtoolWarnings, Path log) {
    }

    private final Workspace ws;
    private final PrintWriter out;

    public KernelBuilder(Workspace ws, PrintWriter out) {
        this.ws = ws;
        this.out = out;
    }

    /** The work directory this builder builds in. */
    public Workspace workspace() {
        return ws;
    }

    /** Prepares the tree and the config, then builds. */
    public Build build(Variant v, Arch a, Profile p, Path generatedDir) throws IOException, InterruptedException,
            Step.Failed {
        Path src = prepare(v, a, p, generatedDir);
        return make(v, a, p, src);
    }

    /** The tree and the config in the build directory, without building. */
    public Path prepare(Variant v, Arch a, Profile p, Path generatedDir) throws IOException, InterruptedException,
            Step.Failed {
        TreePreparer trees = new TreePreparer(ws, out);
        Path stock = trees.patched(Variant.STOCK);
        Path src = trees.prepare(v, generatedDir);
        Path config = new KernelConfigurator(ws, out).config(stock, a, p);
        if (KernelConfigurator.install(config, ws.build(v, a, p))) {
            out.println("kernel: installed the " + a.yamlName() + "/" + p.cliName() + " .config into "
                    + ws.build(v, a, p));
        }
        return src;
    }

    /** Runs kbuild in a prepared tree. */
    public Build make(Variant v, Arch a, Profile p, Path src) throws IOException, InterruptedException, Step.Failed {
        Path dir = ws.build(v, a, p);
        String name = "build-" + v.cliName() + "-" + a.yamlName() + "-" + p.cliName();
        Path log = ws.log(name);
        Files.deleteIfExists(log);
        List<String> cmd = new ArrayList<>(List.of("make", "O=" + dir.toAbsolutePath(), "ARCH=" + Workspace.makeArch(a),
                "-j" + Runtime.getRuntime().availableProcessors()));
        Map<String, String> env = new HashMap<>();
        if (hasCcache()) {
            cmd.add("CC=ccache gcc");
            cmd.add("HOSTCC=ccache gcc");
            env.put("CCACHE_BASEDIR", ws.kernelDir().toAbsolutePath().toString());
            env.put("CCACHE_NOHASHDIR", "1");
        }
        env.put("KBUILD_BUILD_TIMESTAMP", "Thu Jan  1 00:00:00 UTC 1970");
        env.put("KBUILD_BUILD_USER", "idtgen");
        env.put("KBUILD_BUILD_HOST", "idtgen");
        env.put("KBUILD_BUILD_VERSION", "1");
        cmd.add("bzImage");
        out.println("kernel: building " + v.cliName() + " " + a.yamlName() + "/" + p.cliName() + " (log: " + log + ")");
        out.flush();
        Step.Finished r = new Step(name, log, out).in(src).env(env).timeout(3600)
                .progressLines(l -> l.matches("\\s+(CC|AS|LD|AR|OBJTOOL|OBJCOPY|BUILD)\\s.*")).run(cmd);
        int compiled = 0;
        boolean linked = false;
        List<String> warnings = new ArrayList<>();
        for (String l : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            if (l.matches("\\s+(CC|AS)\\s+.*\\.o")) {
                compiled++;
            }
            if (l.matches("\\s+LD\\s+vmlinux\\.o")) {
                linked = true;
            }
            if (l.contains("warning: objtool:")) {
                warnings.add(l.strip());
            }
        }
        // objtool checks vmlinux.o when it is linked: a rebuild that links nothing keeps the last verdict,
        // and an object rebuilt without a relink keeps its own warnings in this log too
        Path saved = dir.resolve(".idtgen-objtool-vmlinux");
        List<String> vmlinuxWarnings = warnings.stream().filter(w -> w.startsWith("vmlinux.o:")).toList();
        if (linked) {
            Files.write(saved, vmlinuxWarnings, StandardCharsets.UTF_8);
        } else if (Files.isRegularFile(saved)) {
            warnings.addAll(Files.readAllLines(saved, StandardCharsets.UTF_8));
        }
        Path bz = dir.resolve("arch/x86/boot/bzImage");
        return new Build(v, a, p, dir, bz, dir.resolve("vmlinux"), r.seconds(), compiled, warnings, log);
    }

    private static boolean hasCcache() {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(d, "ccache"))) {
                return true;
            }
        }
        return false;
    }
}
