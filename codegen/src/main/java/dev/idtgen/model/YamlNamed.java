package dev.idtgen.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * An enum whose constants the table names by their Java name in lower case
 * ({@code X86_64} is {@code x86_64}, {@code RAW_ERRORCODE} is
 * {@code raw_errorcode}): the one place that spelling and its reverse
 * look-up live, for every such enum of the model.
 */
public interface YamlNamed {

    /** The constant's Java name (implemented by {@link Enum#name()}). */
    String name();

    /** The name the table uses for this constant. */
    default String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The constant of {@code type} the table calls {@code yamlName}, if any. */
    static <E extends Enum<E> & YamlNamed> Optional<E> find(Class<E> type, String yamlName) {
        return Arrays.stream(type.getEnumConstants()).filter(c -> c.yamlName().equals(yamlName)).findFirst();
    }
}
