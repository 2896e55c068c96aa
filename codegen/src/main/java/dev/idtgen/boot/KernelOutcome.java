package dev.idtgen.boot;

import dev.idtgen.kernel.Variant;
import dev.idtgen.model.Arch;

import java.util.List;
import java.util.Set;

/** Everything one kernel's boots produced: the judged results and the boot records they came from. */
public record KernelOutcome(BootKernel kernel, List<TestResult> results, List<BootRecord> records) {

    public Arch arch() {
        return kernel.arch();
    }

    public Variant variant() {
        return kernel.variant();
    }

    public Set<String> compiledIn() {
        return kernel.compiledIn();
    }

    public List<TestResult> named(String prefix) {
        return results.stream().filter(r -> r.name().startsWith(prefix)).toList();
    }
}
