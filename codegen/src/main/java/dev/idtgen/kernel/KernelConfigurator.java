package dev.idtgen.kernel;

import dev.idtgen.model.Arch;
import dev.idtgen.proc.Step;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes the .config of an (arch, profile) from the stock tree: tinyconfig,
 * then the profile's fragments merged with scripts/kconfig/merge_config.sh,
 * then olddefconfig; every option a fragment asks for must survive, or it
 * fails naming the option. The result is shared by both variants (the
 * patches touch no Kconfig) and copied into a build directory only when it
 * differs, so an unchanged configuration causes no rebuild.
 */
public record KernelConfigurator(Workspace ws, PrintWriter out) {

    private static final Pattern SET = Pattern.compile("^(CONFIG_\\w+)=(.*)$");
    private static final Pattern UNSET = Pattern.compile("^# (CONFIG_\\w+) is not set$");

    /** The merged and checked .config of (arch, profile), made in the prepared stock tree (it has the test series' Kconfig). */
    public Path config(Path stockTree, Arch arch, Profile profile) throws IOException, InterruptedException,
            Step.Failed {
        List<Path> fragments = profile.fragments(ws.patches().resolve("configs"), arch);
        Path dir = ws.config(arch, profile);
        Path config = dir.resolve(".config");
        StringBuilder id = new StringBuilder(Files.readString(stockTree.resolve(TreePreparer.STAMP)).strip());
        for (Path f : fragments) {
            id.append('\n').append(f.getFileName()).append('\n').append(Files.readString(f));
        }
        Path stamp = dir.resolve(".idtgen-config");
        if (Files.isRegularFile(config) && Files.isRegularFile(stamp) && Files.readString(stamp).equals(id.toString())) {
            return config;
        }
        out.println("kernel: configuring " + arch.yamlName() + "/" + profile.cliName() + " from "
                + fragments.stream().map(p -> p.getFileName().toString()).toList());
        out.flush();
        Files.createDirectories(dir);
        Path log = ws.log("config-" + arch.yamlName() + "-" + profile.cliName());
        Files.deleteIfExists(log);
        Map<String, String> env = Map.of("ARCH", Workspace.makeArch(arch));
        String o = "O=" + dir.toAbsolutePath();
        new Step("tinyconfig", log, out).in(stockTree).env(env).run(List.of("make", o, "tinyconfig"));
        List<String> merge = new ArrayList<>(List.of("scripts/kconfig/merge_config.sh", "-m", "-O",
                dir.toAbsolutePath().toString(), config.toAbsolutePath().toString()));
        fragments.forEach(f -> merge.add(f.toAbsolutePath().toString()));
        new Step("merge_config", log, out).in(stockTree).env(env).run(merge);
        new Step("olddefconfig", log, out).in(stockTree).env(env).run(List.of("make", o, "olddefconfig"));
        List<String> lost = lostOptions(fragments, config);
        if (!lost.isEmpty()) {
            throw new Step.Failed("kernel: " + arch.yamlName() + "/" + profile.cliName()
                    + ": olddefconfig did not keep " + String.join(", ", lost)
                    + " (a dependency is missing from the fragments)\nfull log: " + log.toAbsolutePath(), log);
        }
        Files.writeString(stamp, id.toString());
        return config;
    }

    /** "CONFIG_X=y (now: is not set)" for every fragment option the final config does not have. */
    static List<String> lostOptions(List<Path> fragments, Path config) throws IOException {
        Map<String, String> have = read(config);
        List<String> lost = new ArrayList<>();
        for (Path f : fragments) {
            for (Map.Entry<String, String> want : read(f).entrySet()) {
                String got = have.getOrDefault(want.getKey(), "n");
                if (!got.equals(want.getValue())) {
                    lost.add(want.getKey() + "=" + want.getValue() + " (now " + got + ", from " + f.getFileName() + ")");
                }
            }
        }
        return lost;
    }

    /** Option to value of a .config or fragment; "n" for "is not set". */
    public static Map<String, String> read(Path file) throws IOException {
        Map<String, String> m = new HashMap<>();
        for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            Matcher s = SET.matcher(l.strip());
            Matcher u = UNSET.matcher(l.strip());
            if (s.matches()) {
                m.put(s.group(1), s.group(2));
            } else if (u.matches()) {
                m.put(u.group(1), "n");
            }
        }
        return m;
    }

    /** A .config (option to value, "n" for unset) as the condition language sees it: y, m, or n. */
    public static Map<String, dev.idtgen.model.Condition.Tristate> tristates(Map<String, String> config) {
        Map<String, dev.idtgen.model.Condition.Tristate> m = new HashMap<>();
        config.forEach((k, v) -> m.put(k, "y".equals(v) ? dev.idtgen.model.Condition.Tristate.Y
                : "m".equals(v) ? dev.idtgen.model.Condition.Tristate.M : dev.idtgen.model.Condition.Tristate.N));
        return m;
    }

    /** Copies the config into a build directory when it differs there; true when it did. */
    public static boolean install(Path config, Path buildDir) throws IOException {
        Files.createDirectories(buildDir);
        Path to = buildDir.resolve(".config");
        byte[] b = Files.readAllBytes(config);
        if (Files.isRegularFile(to) && Arrays.equals(Files.readAllBytes(to), b)) {
            return false;
        }
        Files.write(to, b);
        return true;
    }
}
