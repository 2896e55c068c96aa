package dev.idtgen.cli;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

@Command(name = "import", mixinStandardHelpOptions = true, description = "TODO")
final class ImportCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return 1;
    }
}
