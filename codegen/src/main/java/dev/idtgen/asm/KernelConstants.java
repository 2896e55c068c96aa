package dev.idtgen.asm;

import dev.idtgen.model.Arch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The numbers the stubs are written with that the kernel defines outside the
 * templates: the pt_regs offsets ORIG_RAX and CS of x86_64 (uapi
 * asm/ptrace-abi.h, the user ABI) and, for i386, PT_ORIG_EAX and the other
 * asm-offsets.h values SAVE_ALL uses. Read from a kernel tree and a build
 * directory when there are some; otherwise the values of linux-source-6.1
 * (measured on its tiny builds), and {@link #sources()} says which.
 */
public final class KernelConstants {

    private static final Pattern DEFINE = Pattern.compile("^#define\\s+(\\w+)\\s+(-?(?:0x[0-9a-fA-F]+|\\d+))\\b.*");

    /** The names each architecture's stubs use, with linux-source-6.1's values. */
    static Map<String, Long> defaults(Arch arch) {
        Map<String, Long> m = new LinkedHashMap<>();
        if (arch == Arch.X86_64) {
            m.put("ORIG_RAX", 120L);
            m.put("CS", 136L);
        } else {
            m.put("PT_ORIG_EAX", 44L);
            m.put("PT_CS", 52L);
            m.put("PT_EFLAGS", 56L);
            m.put("PTREGS_SIZE", 68L);
            m.put("TSS_entry2task_stack", 8204L);
            m.put("CPU_ENTRY_AREA_entry_stack", 8192L);
            m.put("SIZEOF_entry_stack", 4096L);
            m.put("MASK_entry_stack", -4096L);
        }
        return m;
    }

    private final Map<String, Long> values;
    private final List<String> sources;

    private KernelConstants(Map<String, Long> values, List<String> sources) {
        this.values = values;
        this.sources = sources;
    }

    /** linux-source-6.1's values, no files read. */
    public static KernelConstants builtIn(Arch arch) {
        return new KernelConstants(defaults(arch), List.of("built-in linux-source-6.1 values"));
    }

    /**
     * The values from {@code sourceTree}/arch/x86/include/uapi/asm/ptrace-abi.h
     * (x86_64) and {@code buildDir}/include/generated/asm-offsets.h (i386), each
     * when the file exists (null: skip), the built-in values for the rest.
     */
    public static KernelConstants load(Arch arch, Path sourceTree, Path buildDir) throws IOException {
        Map<String, Long> m = defaults(arch);
        List<String> from = new ArrayList<>();
        int builtIn = m.size();
        if (arch == Arch.X86_64 && sourceTree != null) {
            Path abi = sourceTree.resolve("arch/x86/include/uapi/asm/ptrace-abi.h");
            if (Files.isRegularFile(abi)) {
                // the x86_64 half of the header comes after "#else /* __i386__ */"
                List<String> lines = Files.readAllLines(abi, StandardCharsets.UTF_8);
                int start = 0;
                for (int i = 0; i < lines.size(); i++) {
                    if (lines.get(i).startsWith("#else") && lines.get(i).contains("__i386__")) {
                        start = i;
                    }
                }
                builtIn -= take(m, lines.subList(start, lines.size()));
                from.add(abi.toString());
            }
        }
        if (arch == Arch.I386 && buildDir != null) {
            Path offsets = buildDir.resolve("include/generated/asm-offsets.h");
            if (Files.isRegularFile(offsets)) {
                builtIn -= take(m, Files.readAllLines(offsets, StandardCharsets.UTF_8));
                from.add(offsets.toString());
            }
        }
        if (builtIn > 0) {
            from.add("built-in linux-source-6.1 values");
        }
        return new KernelConstants(m, from);
    }

    /** Overwrites the known names with the header's values; returns how many it found. */
    private static int take(Map<String, Long> m, List<String> lines) {
        int n = 0;
        for (String l : lines) {
            Matcher d = DEFINE.matcher(l.strip());
            if (d.matches() && m.containsKey(d.group(1))) {
                String v = d.group(2);
                boolean neg = v.startsWith("-");
                String abs = neg ? v.substring(1) : v;
                long x = abs.startsWith("0x") ? Long.parseLong(abs.substring(2), 16) : Long.parseLong(abs);
                m.put(d.group(1), neg ? -x : x);
                n++;
            }
        }
        return n;
    }

    /** The value of a constant; an unknown name is an error (the templates ask for what they use). */
    public long get(String name) {
        Long v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no value for the kernel constant " + name + " (known: "
                    + values.keySet() + ")");
        }
        return v;
    }

    public Map<String, Long> values() {
        return Map.copyOf(values);
    }

    /** Where the values came from, for the output. */
    public List<String> sources() {
        return sources;
    }
}
