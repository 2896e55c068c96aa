package dev.idtgen.asm;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.loader.FileLocator;
import dev.idtgen.load.ConditionParser;
import dev.idtgen.model.Arch;
import dev.idtgen.model.Condition;
import dev.idtgen.model.VectorTable;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Flat listings: every stub of one architecture and .config as a plain
 * instruction listing, rendered by the same templates as the kernel's .S
 * (idtentry_64.S.j2 / idtentry_32.S.j2 with stub_arrays.j2) in their flat
 * mode, with the template model the generator uses. The templates emit the
 * stubs framed by {@code #@stub NAME OFFSET [slot=N] [vector=N]} and
 * {@code #@end NAME}; this class then does what the kernel's preprocessor
 * and ALTERNATIVE would: drops the C comments, keeps what the {@code #if}
 * lines (the table's own conditions) select for the .config, and turns each
 * {@code #@altpad "old" "new"} into the 0x90 bytes that pad the original
 * instructions to the replacement's length, both lengths assembled.
 */
public final class FlatListings {

    /**
     * One stub: {@code symbol}+{@code offset} is where it lives in vmlinux; array
     * stubs have their {@code slot} size (IDT_ALIGN) and {@code vector}.
     * {@code code} is the listing without the slot's fill.
     */
    public record Stub(String symbol, long offset, Integer slot, Integer vector, String listing, String code) {

        /** asm_exc_int3, irq_entries_start[0x20]. */
        public String name() {
            return vector == null ? symbol : String.format("%s[0x%02x]", symbol, vector);
        }

        public boolean inArray() {
            return slot != null;
        }

        public Stub withListing(String newListing) {
            return new Stub(symbol, offset, slot, vector, newListing, slot == null ? newListing : code);
        }
    }

    private static final Pattern STUB = Pattern.compile("#@stub (\\S+) (\\d+)((?: \\w+=\\d+)*)");
    private static final Pattern ALTPAD = Pattern.compile("#@altpad \"([^\"]*)\" \"([^\"]*)\"(?: (\\w+))?");
    private static final Pattern COMMENT = Pattern.compile("/\\*.*?\\*/", Pattern.DOTALL);

    private FlatListings() {
    }

    /** The template of an architecture's stubs. */
    static String template(Arch arch) {
        return arch == Arch.X86_64 ? "idtentry_64.S.j2" : "idtentry_32.S.j2";
    }

    /** The templates rendered in flat mode, before {@link #parse}: the raw text. */
    public static String render(Path templatesDir, VectorTable table, FlatContext flat) throws AsmException {
        JinjavaConfig config = JinjavaConfig.newBuilder()
                .withFailOnUnknownTokens(true)
                .withTrimBlocks(true)
                .withLstripBlocks(true)
                .build();
        Jinjava jinjava = new Jinjava(config);
        try {
            jinjava.setResourceLocator(new FileLocator(templatesDir.toFile()));
        } catch (FileNotFoundException e) {
            throw new AsmException("templates directory " + templatesDir + " does not exist");
        }
        String name = template(flat.arch());
        Path file = templatesDir.resolve(name);
        String source;
        try {
            source = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AsmException("cannot read template " + file + ": " + e.getMessage());
        }
        Map<String, Object> ctx;
        try {
            ctx = new LinkedHashMap<>(dev.idtgen.render.Renderer.stubContext(templatesDir, table, flat.arch()));
        } catch (dev.idtgen.render.Renderer.RenderException e) {
            throw new AsmException(e.getMessage());
        }
        ctx.put("flat", flat);
        RenderResult r = jinjava.renderForResult(source, ctx);
        if (!r.getErrors().isEmpty()) {
            StringBuilder b = new StringBuilder();
            for (TemplateError e : r.getErrors()) {
                b.append(b.length() == 0 ? "" : "\n").append(file).append(':').append(e.getLineno())
                        .append(": template (flat listing): ").append(e.getMessage());
            }
            throw new AsmException(b.toString());
        }
        return r.getOutput();
    }

    /** One listing line of a stub, and the stub it is in (for the altpad step). */
    private record Raw(String symbol, long offset, Integer slot, Integer vector, List<String> lines) {
    }

    /**
     * The stubs of the raw flat text for a .config, ALTERNATIVE padding resolved
     * with {@code asm}.
     */
    public static List<Stub> parse(String raw, Map<String, String> config, Assembler asm, Mode mode)
            throws AsmException {
        List<Raw> raws = split(raw, config);
        // the distinct (original, replacement) pairs, each measured once
        LinkedHashSet<String> snippets = new LinkedHashSet<>();
        for (Raw r : raws) {
            for (String l : r.lines()) {
                Matcher m = ALTPAD.matcher(l);
                if (m.matches()) {
                    snippets.add(m.group(1));
                    snippets.add(m.group(2));
                }
            }
        }
        Map<String, Integer> length = lengths(new ArrayList<>(snippets), asm, mode);
        List<Stub> out = new ArrayList<>();
        for (Raw r : raws) {
            List<String> lines = new ArrayList<>();
            for (String l : r.lines()) {
                Matcher m = ALTPAD.matcher(l);
                if (!m.matches()) {
                    lines.add(l);
                    continue;
                }
                int pad = Math.max(0, length.get(m.group(2)) - length.get(m.group(1)));
                if (pad > 0) {
                    lines.add("\t.byte " + String.join(", ", java.util.Collections.nCopies(pad, "0x90")));
                }
            }
            String listing = String.join("\n", lines) + "\n";
            String code = listing;
            if (r.slot() != null) {
                int last = lines.size() - 1;
                if (last < 0 || !lines.get(last).strip().startsWith(".balign")) {
                    throw new AsmException(r.symbol() + ": an array stub must end with its slot's fill");
                }
                code = String.join("\n", lines.subList(0, last)) + "\n";
            }
            out.add(new Stub(r.symbol(), r.offset(), r.slot(), r.vector(), listing, code));
        }
        return out;
    }

    /** Renders and parses: the stubs of one architecture for a .config. */
    public static List<Stub> stubs(Path templatesDir, VectorTable table, FlatContext flat, Assembler asm)
            throws AsmException {
        return parse(render(templatesDir, table, flat), flat.config(), asm, Mode.of(flat.arch()));
    }

    private static Map<String, Integer> lengths(List<String> snippets, Assembler asm, Mode mode)
            throws AsmException {
        Map<String, Integer> out = new HashMap<>();
        List<Assembler.Job> jobs = new ArrayList<>();
        List<String> measured = new ArrayList<>();
        long base = mode == Mode.BITS64 ? 0xffffffff81000000L : 0xc1000000L;
        for (String s : snippets) {
            if (s.isBlank()) {
                out.put(s, 0);
            } else {
                jobs.add(new Assembler.Job("ALTERNATIVE \"" + s + "\"", s.replace("; ", "\n"),
                        base + 0x1000L * jobs.size()));
                measured.add(s);
            }
        }
        List<byte[]> b = asm.assembleAll(jobs, Symbols.any(base - 0x100000L), mode);
        for (int i = 0; i < measured.size(); i++) {
            out.put(measured.get(i), b.get(i).length);
        }
        return out;
    }

    /** Comments out, #if applied, stubs cut out (altpad lines still in). */
    private static List<Raw> split(String raw, Map<String, String> config) throws AsmException {
        Map<String, Condition.Tristate> tri = tristates(config);
        String[] lines = withoutComments(raw).split("\n", -1);
        Deque<boolean[]> conds = new ArrayDeque<>(); // {this branch taken, some branch taken}
        List<Raw> out = new ArrayList<>();
        Raw current = null;
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i].strip();
            boolean active = conds.stream().allMatch(c -> c[0]);
            if (l.startsWith("#") && !l.startsWith("#@")) {
                preprocessorLine(l, i + 1, conds, tri);
                continue;
            }
            if (!active) {
                continue;
            }
            if (l.startsWith("#@stub")) {
                if (current != null) {
                    throw new AsmException("flat listing line " + (i + 1) + ": bad or nested stub marker: " + l);
                }
                current = stubStart(l, i + 1);
            } else if (l.startsWith("#@end")) {
                if (current == null || !l.equals("#@end " + current.symbol())) {
                    throw new AsmException("flat listing line " + (i + 1) + ": unmatched " + l);
                }
                out.add(current);
                current = null;
            } else if (current != null && !l.isEmpty()) {
                current.lines().add(l.endsWith(":") || l.startsWith("#@") ? l : "\t" + l);
            }
        }
        if (current != null) {
            throw new AsmException("flat listing: stub " + current.symbol() + " has no #@end");
        }
        if (!conds.isEmpty()) {
            throw new AsmException("flat listing: unterminated #if");
        }
        return out;
    }

    /** The text without its C comments; their line breaks stay (so that line numbers keep meaning). */
    private static String withoutComments(String raw) {
        Matcher cm = COMMENT.matcher(raw);
        StringBuilder sb = new StringBuilder();
        while (cm.find()) {
            cm.appendReplacement(sb, Matcher.quoteReplacement(cm.group().replaceAll("[^\n]", "")));
        }
        cm.appendTail(sb);
        return sb.toString();
    }

    /** Follows an #ifdef/#ifndef/#if/#else/#endif line (number {@code line}) on the stack of open blocks. */
    private static void preprocessorLine(String l, int line, Deque<boolean[]> conds,
                                         Map<String, Condition.Tristate> tri) throws AsmException {
        String[] d = l.substring(1).strip().split("\\s+", 2);
        String arg = d.length > 1 ? d[1].strip() : "";
        switch (d[0]) {
            case "ifdef" -> push(conds, tri.getOrDefault(arg, Condition.Tristate.N) == Condition.Tristate.Y);
            case "ifndef" -> push(conds, tri.getOrDefault(arg, Condition.Tristate.N) != Condition.Tristate.Y);
            case "if" -> push(conds, eval(arg, tri, line));
            case "else" -> {
                boolean[] c = conds.peek();
                if (c == null) {
                    throw new AsmException("flat listing line " + line + ": #else without #if");
                }
                c[0] = !c[1];
                c[1] = true;
            }
            case "endif" -> {
                if (conds.poll() == null) {
                    throw new AsmException("flat listing line " + line + ": #endif without #if");
                }
            }
            default -> throw new AsmException("flat listing line " + line
                    + ": unsupported preprocessor line: " + l);
        }
    }

    /** The stub a {@code #@stub SYMBOL OFFSET [slot=N] [vector=N]} line (number {@code line}) starts. */
    private static Raw stubStart(String l, int line) throws AsmException {
        Matcher m = STUB.matcher(l);
        if (!m.matches()) {
            throw new AsmException("flat listing line " + line + ": bad or nested stub marker: " + l);
        }
        Integer slot = null;
        Integer vector = null;
        for (String kv : m.group(3).strip().split(" ")) {
            if (kv.startsWith("slot=")) {
                slot = Integer.parseInt(kv.substring(5));
            } else if (kv.startsWith("vector=")) {
                vector = Integer.parseInt(kv.substring(7));
            }
        }
        return new Raw(m.group(1), Long.parseLong(m.group(2)), slot, vector, new ArrayList<>());
    }

    private static void push(Deque<boolean[]> conds, boolean taken) {
        conds.push(new boolean[] {taken, taken});
    }

    private static boolean eval(String expr, Map<String, Condition.Tristate> tri, int line) throws AsmException {
        try {
            return ConditionParser.parse(expr).eval(tri);
        } catch (ConditionParser.SyntaxError e) {
            throw new AsmException("flat listing line " + line + ": #if " + expr + ": " + e.getMessage());
        }
    }

    static Map<String, Condition.Tristate> tristates(Map<String, String> config) {
        return dev.idtgen.kernel.KernelConfigurator.tristates(config);
    }

    /** Option to value of a .config ("n" for "is not set"), as kbuild writes it. */
    public static Map<String, String> readConfig(Path file) throws IOException {
        return dev.idtgen.kernel.KernelConfigurator.read(file);
    }

}
