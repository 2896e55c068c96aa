package dev.idtgen.model;

import java.util.Optional;

/** The two x86 architectures of the kernel, with the Kconfig symbol that selects each. */
public enum Arch {
    X86_64("x86_64", "CONFIG_X86_64"),
    I386("i386", "CONFIG_X86_32");

    private final String yamlName;
    private final String kconfig;

    Arch(String yamlName, String kconfig) {
        this.yamlName = yamlName;
        this.kconfig = kconfig;
    }

    public String yamlName() {
        return yamlName;
    }

    public String kconfig() {
        return kconfig;
    }

    public static Optional<Arch> fromYaml(String s) {
        for (Arch a : values()) {
            if (a.yamlName.equals(s)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
