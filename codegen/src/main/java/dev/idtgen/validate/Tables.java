package dev.idtgen.validate;

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

    /** Reads a table and the overlays added to it, in order, and checks the result. */
    public static Checked read(Path file, List<Path> overlays) {
        List<Problem> problems = new ArrayList<>();
        String text = text(file, problems);
        if (text == null) {
            return new Checked(null, problems);
        }
        TableLoader.Result r = TableLoader.load(file.toString(), text);
        problems.addAll(r.problems());
        VectorTable table = r.table();
        for (Path o : overlays) {
            String t = text(o, problems);
            if (t == null) {
                continue;
            }
            TableLoader.Result ro = TableLoader.loadOverlay(o.toString(), t);
            problems.addAll(ro.problems());
            if (table != null && ro.table() != null) {
                TableLoader.Result m = TableLoader.merge(table, ro.table());
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
            problems.add(new Problem(Pos.of(file.toString()), "io", "cannot read the table: " + e.getMessage()));
            return null;
        }
    }

    public static Checked check(String name, String text) {
        TableLoader.Result r = TableLoader.load(name, text);
        if (!r.ok()) {
            return new Checked(null, r.problems());
        }
        List<Problem> all = new ArrayList<>(r.problems());
        all.addAll(Validator.validate(r.table()));
        return new Checked(all.isEmpty() ? r.table() : null, List.copyOf(all));
    }
}
