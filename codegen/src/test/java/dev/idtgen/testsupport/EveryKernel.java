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
