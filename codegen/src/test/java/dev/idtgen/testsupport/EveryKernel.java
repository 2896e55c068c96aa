package dev.idtgen.testsupport;

import dev.idtgen.kernel.Workspace;
import dev.idtgen.validate.Tables;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The slow suites' walk over every kernel series of vectors.yaml: one container of tests per series. */
public final class EveryKernel {

    /** The tests of one kernel series. */
    public interface Tests {
        List<DynamicNode> of(String kernel) throws Exception;
    }

    private EveryKernel() {
    }

    /** A container "linux SERIES" of {@code tests} for every series of the table, in its order. */
    public static List<DynamicNode> containers(Tests tests) throws Exception {
        List<DynamicNode> all = new ArrayList<>();
        for (String kernel : Tables.kernels(Path.of("vectors.yaml"))) {
            all.add(DynamicContainer.dynamicContainer("linux " + kernel, tests.of(kernel)));
        }
        return all;
    }

    /**
     * A container "linux SERIES" of {@code tests} for the newest series of the table only: where the expensive
     * profiles (full) run, since they prove most on the kernel entry code is developed on.
     */
    public static List<DynamicNode> newest(Tests tests) throws Exception {
        String kernel = newestKernel();
        return List.of(DynamicContainer.dynamicContainer("linux " + kernel, tests.of(kernel)));
    }

    /** The newest kernel series of vectors.yaml, by version number. */
    public static String newestKernel() throws Exception {
        return Tables.kernels(Path.of("vectors.yaml")).stream().max(EveryKernel::byVersion).orElseThrow();
    }

    /** Orders "6.1" before "6.12" before "7.3": by each dotted number in turn. */
    static int byVersion(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int c = Integer.compare(i < x.length ? Integer.parseInt(x[i]) : 0, i < y.length ? Integer.parseInt(y[i]) : 0);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** vectors.yaml projected on {@code kernel}, which must be valid. */
    public static Tables.Checked table(String kernel) throws Exception {
        Tables.Checked t = Tables.read(Path.of("vectors.yaml"), List.of(), kernel);
        assertTrue(t.ok(), t.problems().toString());
        return t;
    }

    /** The project's work directory for {@code kernel}, as ./idtgen run uses it. */
    public static Workspace workspace(String kernel) {
        return new Workspace(Path.of("work").toAbsolutePath(), Path.of("").toAbsolutePath(), kernel);
    }
}
