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
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return new Checked(null, List.of(new Problem(Pos.of(file.toString()), "io",
                    "cannot read the table: " + e.getMessage())));
        }
        return check(file.toString(), text);
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
