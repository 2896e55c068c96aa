package dev.idtgen.config;

import dev.idtgen.model.Problem;

import java.io.IOException;
import java.util.List;

/**
 * An input file that cannot be read as its schema says: the problems, each printed
 * {@code file:line:column: rule: message}, one per line of the message.
 */
public final class ConfigException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient List<Problem> problems;

    public ConfigException(Problem problem) {
        this(List.of(problem));
    }

    public ConfigException(List<Problem> problems) {
        super(String.join("\n", problems.stream().map(Problem::toString).toList()));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs a problem");
        }
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
