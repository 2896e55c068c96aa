package dev.idtgen.cli;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

@Command(name = "generate", mixinStandardHelpOptions = true, description = "TODO")
final class GenerateCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return 1;
    }
}
