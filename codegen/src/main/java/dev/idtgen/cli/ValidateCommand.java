package dev.idtgen.cli;

import dev.idtgen.validate.Tables;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.concurrent.Callable;

@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Checks the vector table and prints every problem as file:line:column: rule: message.")
final class ValidateCommand implements Callable<Integer> {

    @Mixin
    TableOption table;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        java.util.Map<String, Tables.Checked> all = table.readAll(spec.commandLine().getErr());
        if (all == null) {
            return 1;
        }
        all.forEach((kernel, c) -> spec.commandLine().getOut().println(table.vectors
                + (kernel.isEmpty() ? "" : " [" + kernel + "]") + ": " + c.table().entries().size() + " entries, "
                + c.table().gates().values().stream().mapToInt(java.util.List::size).sum() + " gates, "
                + c.table().stubArrays().size() + " stub arrays: ok"));
        return 0;
    }
}
