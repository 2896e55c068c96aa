package dev.idtgen.boot;

import dev.idtgen.config.ConfigException;
import dev.idtgen.config.ConfigNode;
import dev.idtgen.config.ListNode;
import dev.idtgen.config.MapNode;
import dev.idtgen.model.Arch;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Reads boots.yaml's schema ({@link BootPlan}) from a typed YAML document. */
final class BootPlanReader {

    /** The top-level keys of the schema but {@code qemu}, which only boots.yaml has. */
    static final Set<String> KEYS = Set.of("append", "limits", "budgets", "boots", "crashes", "inject", "profiles");

    private BootPlanReader() {
    }

    /** boots.yaml: the QEMU line per architecture and the rest of the schema. */
    static BootPlan read(MapNode root) throws ConfigException {
        Set<String> keys = new java.util.HashSet<>(KEYS);
        keys.add("qemu");
        root.allowOnly(keys);
        MapNode q = root.map("qemu");
        Map<Arch, BootPlan.Qemu> qemu = new EnumMap<>(Arch.class);
        for (Map.Entry<String, ConfigNode> e : q.values().entrySet()) {
            MapNode m = e.getValue().asMap().allowOnly("binary", "machine", "cpu", "memory");
            qemu.put(arch(q, e.getKey()), new BootPlan.Qemu(m.string("binary"), m.string("machine", "pc"),
                    m.string("cpu"), m.integer("memory", 512)));
        }
        for (Arch a : Arch.values()) {
            if (!qemu.containsKey(a)) {
                throw q.missing(a.yamlName());
            }
        }
        return rest(root, qemu);
    }

    /** Everything but the emulators, which {@code qemu} gives; the caller checks the top-level keys. */
    static BootPlan rest(MapNode root, Map<Arch, BootPlan.Qemu> qemu) throws ConfigException {
        MapNode l = root.map("limits").allowOnly("margin", "budget", "boot", "idle", "guest", "reruns");
        BootPlan.Limits limits = new BootPlan.Limits(l.number("margin"), l.number("budget"), l.number("boot"),
                l.number("idle"), l.number("guest"), l.integer("reruns"));
        Map<String, Double> budgets = new LinkedHashMap<>();
        if (root.has("budgets")) {
            for (Map.Entry<String, ConfigNode> e : root.map("budgets").values().entrySet()) {
                budgets.put(e.getKey(), e.getValue().asNumber());
            }
        }
        List<BootPlan.Group> groups = new ArrayList<>();
        for (ConfigNode n : root.list("boots").items()) {
            groups.add(group(n.asMap()));
        }
        List<BootPlan.Crash> crashes = new ArrayList<>();
        for (ConfigNode n : root.list("crashes").items()) {
            crashes.add(crash(n.asMap()));
        }
        Map<String, String> inject = root.stringMap("inject");
        Map<String, BootPlan.ProfileBoots> profiles = new LinkedHashMap<>();
        if (root.has("profiles")) {
            for (Map.Entry<String, ConfigNode> e : root.map("profiles").values().entrySet()) {
                MapNode pm = e.getValue().asMap().allowOnly("programs", "crashes");
                profiles.put(e.getKey(), new BootPlan.ProfileBoots(globs(pm.list("programs")),
                        pm.bool("crashes", true)));
            }
        }
        return new BootPlan(qemu, root.string("append"), limits, budgets, groups, crashes, inject, profiles);
    }

    private static BootPlan.Group group(MapNode g) throws ConfigException {
        g.allowOnly("name", "arches", "cpus", "cpu", "programs", "why", "accel");
        return new BootPlan.Group(g.string("name"), arches(g), g.integer("cpus", 1), perArch(g, "cpu"),
                globs(g.list("programs")), g.string("why", ""), g.string("accel", "tcg"));
    }

    private static BootPlan.Crash crash(MapNode c) throws ConfigException {
        c.allowOnly("mode", "test", "arches", "cpu", "expect", "skip_when", "skip_reason", "after", "why");
        List<Pattern> expect = new ArrayList<>();
        for (ConfigNode p : c.list("expect").items()) {
            expect.add(regex(p));
        }
        Pattern skipWhen = c.has("skip_when") ? Pattern.compile(Pattern.quote(c.string("skip_when"))) : null;
        return new BootPlan.Crash(c.string("mode"), c.string("test"), arches(c), perArch(c, "cpu"), expect,
                skipWhen, c.string("skip_reason", ""), perArch(c, "after"));
    }

    private static Pattern regex(ConfigNode p) throws ConfigException {
        try {
            return Pattern.compile(p.asString());
        } catch (PatternSyntaxException e) {
            throw p.bad(p.path() + " is no regular expression: " + e.getDescription());
        }
    }

    private static List<Pattern> globs(ListNode l) throws ConfigException {
        List<Pattern> out = new ArrayList<>();
        for (String s : l.strings()) {
            out.add(BootPlan.glob(s));
        }
        return out;
    }

    /** {@code arches: [..]}; every architecture when absent. */
    private static Set<Arch> arches(MapNode m) throws ConfigException {
        if (!m.has("arches")) {
            return Set.of(Arch.values());
        }
        Set<Arch> s = new TreeSet<>();
        for (ConfigNode a : m.list("arches").items()) {
            String name = a.asString();
            s.add(Arch.fromYaml(name).orElseThrow(() -> a.bad("'" + name + "' is not an architecture ("
                    + names() + ")")));
        }
        return s;
    }

    /** {@code key: VALUE} for every arch, or {@code key: {ARCH: VALUE}}; empty when absent. */
    private static Map<Arch, String> perArch(MapNode m, String key) throws ConfigException {
        Map<Arch, String> out = new EnumMap<>(Arch.class);
        if (!m.has(key)) {
            return out;
        }
        ConfigNode v = m.get(key);
        if (v.isMap()) {
            MapNode per = v.asMap();
            for (Map.Entry<String, ConfigNode> e : per.values().entrySet()) {
                out.put(arch(per, e.getKey()), e.getValue().asString());
            }
        } else {
            String all = v.asString();
            for (Arch a : Arch.values()) {
                out.put(a, all);
            }
        }
        return out;
    }

    private static Arch arch(MapNode m, String key) throws ConfigException {
        return Arch.fromYaml(key).orElseThrow(() -> new ConfigException(new dev.idtgen.model.Problem(m.keyPos(key),
                dev.idtgen.model.Rule.BAD_VALUE, "'" + key + "' is not an architecture (" + names() + ")")));
    }

    private static String names() {
        return String.join(", ", java.util.Arrays.stream(Arch.values()).map(Arch::yamlName).toList());
    }
}
