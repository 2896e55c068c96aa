package dev.idtgen.validate;

import dev.idtgen.model.Rule;
import dev.idtgen.load.TableLoader;
import dev.idtgen.model.Pos;
import dev.idtgen.model.Problem;
import dev.idtgen.model.VectorTable;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads a table file and runs the loader's and the validator's checks on it. */
public final class Tables {

    /** A checked table, or the problems that stop it from being one. */
    public record Checked(VectorTable table, List<Problem> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private Tables() {
    }

    public static Checked read(Path file) {
        return read(file, List.of());
    }

    /** Reads a table and the overlays added to it, projected onto the table's first kernel. */
    public static Checked read(Path file, List<Path> overlays) {
        return read(file, overlays, null);
    }

    /**
     * Every kernel the table describes, each projection read and checked
     * ({@link #read(Path, List, String)}), in the table's order; {@code only}
     * narrows it to one kernel (null: all). A table that cannot be read at all
     * gives one entry under the key "" with its problems.
     */
    public static java.util.LinkedHashMap<String, Checked> readAll(Path file, List<Path> overlays, String only) {
        java.util.LinkedHashMap<String, Checked> out = new java.util.LinkedHashMap<>();
        Checked first = read(file, overlays, only);
        if (only != null) {
            out.put(only, first);
            return out;
        }
        List<String> kernels = first.table() != null ? first.table().kernels() : kernels(file);
        if (kernels.size() <= 1) {
            out.put(kernels.isEmpty() ? "" : kernels.get(0), first);
            return out;
        }
        for (String k : kernels) {
            out.put(k, k.equals(kernels.get(0)) ? first : read(file, overlays, k));
        }
        return out;
    }

    /** The problems of several projections, each once (a problem of a shared row shows in every kernel). */
    public static List<Problem> problems(java.util.Map<String, Checked> all) {
        java.util.LinkedHashSet<Problem> set = new java.util.LinkedHashSet<>();
        all.values().forEach(c -> set.addAll(c.problems()));
        List<Problem> out = new ArrayList<>(set);
        java.util.Collections.sort(out);
        return List.copyOf(out);
    }

    /** The kernels a table file names (empty when it names none or cannot be read). */
    public static List<String> kernels(Path file) {
        List<Problem> ignored = new ArrayList<>();
        String text = text(file, ignored);
        if (text == null) {
            return List.of();
        }
        TableLoader.Loaded r = TableLoader.load(file.toString(), text);
        return r.table() == null ? List.of() : r.table().kernels();
    }

    /**
     * Reads a table projected onto {@code kernel} (null: its first) and the
     * overlays added to it, in order, and checks the result.
     */
    public static Checked read(Path file, List<Path> overlays, String kernel) {
        List<Problem> problems = new ArrayList<>();
        String text = text(file, problems);
        if (text == null) {
            return new Checked(null, problems);
        }
        TableLoader.Loaded r = TableLoader.load(file.toString(), text, kernel);
        problems.addAll(r.problems());
        VectorTable table = r.table();
        for (Path o : overlays) {
            String t = text(o, problems);
            if (t == null || table == null) {
                continue;
            }
            TableLoader.Loaded ro = TableLoader.loadOverlay(o.toString(), t, table);
            problems.addAll(ro.problems());
            if (table != null && ro.table() != null) {
                TableLoader.Loaded m = TableLoader.merge(table, ro.table());
                problems.addAll(m.problems());
                table = m.table();
            }
        }
        if (!problems.isEmpty() || table == null) {
            java.util.Collections.sort(problems);
            return new Checked(null, List.copyOf(problems));
        }
        List<Problem> v = Validator.validate(table);
        return new Checked(v.isEmpty() ? table : null, v);
    }

    private static String text(Path file, List<Problem> problems) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            problems.add(new Problem(Pos.of(file.toString()), Rule.IO, "cannot read the table: " + e.getMessage()));
            return null;
        }
    }

    public static Checked check(String name, String text) {
        return check(name, text, null);
    }

    /** As {@link #check(String, String)}, projected onto {@code kernel} (null: the table's first series). */
    public static Checked check(String name, String text, String kernel) {
        TableLoader.Loaded r = TableLoader.load(name, text, kernel);
        if (!r.ok()) {
            return new Checked(null, r.problems());
        }
        List<Problem> all = new ArrayList<>(r.problems());
        all.addAll(Validator.validate(r.table()));
        return new Checked(all.isEmpty() ? r.table() : null, List.copyOf(all));
    }
}
