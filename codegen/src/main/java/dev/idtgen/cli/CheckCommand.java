package dev.idtgen.cli;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

@Command(name = "check", mixinStandardHelpOptions = true, description = "TODO")
final class CheckCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return 1;
    }
}
