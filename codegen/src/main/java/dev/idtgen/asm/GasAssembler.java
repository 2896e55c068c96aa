package dev.idtgen.asm;

import dev.idtgen.elf.ElfFile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The GNU as backend: the listings go through {@code as --64}/{@code --32}
 * as a process, one section per listing in one run, into a relocatable ELF
 * object that is read in Java ({@link ElfFile}). The references to outside
 * symbols are then resolved here, as ld would at the final addresses: each
 * listing's section is placed at its address and every relocation gas left
 * (R_X86_64_PC32/PLT32/32/32S/64, R_386_PC32/PLT32/32) gets the symbol's
 * value from the symbol table, with the same overflow checks. gas encodes a
 * branch to an undefined symbol in its rel32 form, which is the port's
 * contract; branches to the listing's own labels it relaxes itself.
 */
public final class GasAssembler implements Assembler {

    private static final Pattern DIAG = Pattern.compile("^[^:]*\\.s:(\\d+): (Error|Warning): (.*)$");
    private static final Pattern LOCAL_LABEL = Pattern.compile("(?<![\\w.$])(\\.L[A-Za-z0-9_$]+)");

    private final String as;
    private final String version;

    private GasAssembler(String as, String version) {
        this.as = as;
        this.version = version;
    }

    /**
     * The backend when {@code as} (or the program IDTGEN_AS names in {@code env}, the process environment) runs
     * here, else an exception that says why not.
     */
    public static GasAssembler open(Map<String, String> env) throws AsmException {
        String as = env.getOrDefault("IDTGEN_AS", "as");
        try {
            Process p = new ProcessBuilder(as, "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AsmException("`" + as + " --version` failed: " + out.strip());
            }
            String first = out.lines().findFirst().orElse("GNU assembler").strip();
            return new GasAssembler(as, first);
        } catch (IOException e) {
            throw new AsmException("GNU as (`" + as + "`) is not installed (binutils): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AsmException("interrupted while starting " + as, e);
        }
    }

    @Override
    public String name() {
        return "gas";
    }

    @Override
    public String describe() {
        return "gas (" + version + ", a process per batch; relocations resolved in Java)";
    }

    @Override
    public byte[] assemble(String listing, long address, Map<String, Long> symbols, Mode mode) throws AsmException {
        return assembleAll(List.of(new Job("listing", listing, address)), symbols, mode).get(0);
    }

    @Override
    public List<byte[]> assembleAll(List<Job> jobs, Map<String, Long> symbols, Mode mode) throws AsmException {
        if (jobs.isEmpty()) {
            return List.of();
        }
        Path dir = null;
        try {
            dir = Files.createTempDirectory("idtgen-gas");
            Path src = dir.resolve("in.s");
            Path obj = dir.resolve("in.o");
            List<int[]> lineMap = new ArrayList<>(); // generated line -> {job, listing line}
            StringBuilder s = new StringBuilder();
            for (int j = 0; j < jobs.size(); j++) {
                s.append("\t.section .text.j").append(j).append(",\"ax\",@progbits\n");
                lineMap.add(new int[] {j, 0});
                String[] lines = jobs.get(j).listing().split("\n", -1);
                for (int i = 0; i < lines.length; i++) {
                    // each listing's .L labels are its own: give them a per-listing suffix
                    Matcher m = LOCAL_LABEL.matcher(lines[i]);
                    s.append(m.replaceAll("$1__j" + j)).append('\n');
                    lineMap.add(new int[] {j, i + 1});
                }
            }
            Files.writeString(src, s.toString(), StandardCharsets.UTF_8);
            Process p = new ProcessBuilder(as, mode == Mode.BITS64 ? "--64" : "--32", "-o", obj.toString(),
                    src.toString()).redirectErrorStream(true).start();
            String diag = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AsmException(as + " did not finish in 120 s");
            }
            List<String> problems = new ArrayList<>();
            for (String l : diag.lines().toList()) {
                Matcher m = DIAG.matcher(l);
                if (m.matches()) {
                    int line = Integer.parseInt(m.group(1));
                    int[] at = line - 1 < lineMap.size() ? lineMap.get(line - 1) : new int[] {0, 0};
                    problems.add(jobs.get(at[0]).name() + ":" + at[1] + ": " + m.group(2).toLowerCase() + ": "
                            + m.group(3).replaceAll("__j\\d+", ""));
                }
            }
            if (p.exitValue() != 0 || !problems.isEmpty()) {
                throw new AsmException(problems.isEmpty() ? as + " failed: " + diag.strip()
                        : String.join("\n", problems));
            }
            return link(ElfFile.read(obj), jobs, symbols, mode);
        } catch (IOException e) {
            throw new AsmException("gas: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AsmException("interrupted", e);
        } finally {
            delete(dir);
        }
    }

    /** Places section .text.jN at job N's address and applies the relocations. */
    private static List<byte[]> link(ElfFile o, List<Job> jobs, Map<String, Long> symbols, Mode mode)
            throws AsmException {
        Map<Integer, Integer> jobOfSection = new java.util.HashMap<>();
        byte[][] out = new byte[jobs.size()][];
        for (ElfFile.Section sec : o.sections()) {
            if (sec.name().startsWith(".text.j")) {
                int j = Integer.parseInt(sec.name().substring(".text.j".length()));
                jobOfSection.put(sec.index(), j);
                out[j] = o.sectionBytes(sec);
            }
        }
        TreeSet<String> undefined = new TreeSet<>();
        for (Map.Entry<Integer, Integer> e : jobOfSection.entrySet()) {
            int j = e.getValue();
            Job job = jobs.get(j);
            ByteBuffer b = ByteBuffer.wrap(out[j]).order(ByteOrder.LITTLE_ENDIAN);
            for (ElfFile.Reloc r : o.relocations(e.getKey())) {
                ElfFile.Symbol sym = r.symbol();
                long s;
                if (sym == null) {
                    throw new AsmException(job.name() + ": relocation without a symbol");
                } else if (sym.section() == 0 && sym.name().isEmpty()) {
                    s = sym.value(); // the null symbol: an absolute target, all in the addend (jmp 0x1000)
                } else if (sym.section() == 0) {
                    Long v = symbols.get(sym.name());
                    if (v == null) {
                        undefined.add(sym.name());
                        continue;
                    }
                    s = v;
                } else if (jobOfSection.containsKey(sym.section())) {
                    s = jobs.get(jobOfSection.get(sym.section())).address() + sym.value();
                } else {
                    throw new AsmException(job.name() + ": reference to " + sym.name() + " in section "
                            + o.section(sym.section()).name());
                }
                int off = (int) r.offset();
                long place = job.address() + r.offset();
                apply(job, b, off, r.type(), s, r.addend(), place, mode, sym.name());
            }
        }
        if (!undefined.isEmpty()) {
            throw new AsmException("undefined symbol" + (undefined.size() == 1 ? " " : "s ")
                    + String.join(", ", undefined));
        }
        for (int j = 0; j < out.length; j++) {
            if (out[j] == null) {
                out[j] = new byte[0];
            }
        }
        return List.of(out);
    }

    private static void apply(Job job, ByteBuffer b, int off, int type, long s, long rela, long place, Mode mode,
                              String name) throws AsmException {
        if (mode == Mode.BITS64) {
            switch (type) {
                case 1 -> b.putLong(off, s + rela); // R_X86_64_64
                case 2, 4 -> put32(job, b, off, s + rela - place, true, name); // PC32, PLT32
                case 10 -> put32u(job, b, off, s + rela, name); // R_X86_64_32
                case 11 -> put32(job, b, off, s + rela, true, name); // R_X86_64_32S
                default -> throw new AsmException(job.name() + ": unsupported relocation type " + type + " ("
                        + name + ")");
            }
        } else {
            long a = b.getInt(off); // REL: the addend is in place
            switch (type) {
                case 1 -> b.putInt(off, (int) (s + a)); // R_386_32
                case 2, 4 -> b.putInt(off, (int) (s + a - place)); // R_386_PC32, PLT32
                default -> throw new AsmException(job.name() + ": unsupported relocation type " + type + " ("
                        + name + ")");
            }
        }
    }

    private static void put32(Job job, ByteBuffer b, int off, long v, boolean signed, String name)
            throws AsmException {
        if (signed && (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE)) {
            throw new AsmException(job.name() + ": " + name + " is out of reach of a 32-bit field ("
                    + Long.toHexString(v) + ")");
        }
        b.putInt(off, (int) v);
    }

    private static void put32u(Job job, ByteBuffer b, int off, long v, String name) throws AsmException {
        if (v < 0 || v > 0xffffffffL) {
            throw new AsmException(job.name() + ": " + name + " does not fit an unsigned 32-bit field");
        }
        b.putInt(off, (int) v);
    }

    private static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try {
            dev.idtgen.io.FileTrees.delete(dir);
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }
}
