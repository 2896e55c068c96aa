package dev.idtgen.model;

import java.util.Optional;

/** The two x86 architectures of the kernel, with the Kconfig symbol that selects each. */
public enum Arch implements YamlNamed {
    X86_64("CONFIG_X86_64"),
    I386("CONFIG_X86_32");

    private final String kconfig;

    Arch(String kconfig) {
        this.kconfig = kconfig;
    }

    public String kconfig() {
        return kconfig;
    }

    public static Optional<Arch> fromYaml(String s) {
        return YamlNamed.find(Arch.class, s);
    }
}
