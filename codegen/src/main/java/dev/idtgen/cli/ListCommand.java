package dev.idtgen.cli;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

@Command(name = "list", mixinStandardHelpOptions = true, description = "TODO")
final class ListCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return 1;
    }
}
