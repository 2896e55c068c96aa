package dev.idtgen.boot;

import dev.idtgen.kernel.Profile;
import dev.idtgen.kernel.Variant;
import dev.idtgen.model.Arch;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * A built kernel ready to boot through one delivery mechanism: its image, its build directory (its .config), the
 * table's entries it has compiled in (through FRED, those with a FRED route), the guest programs its initramfs
 * offers, and the directory its boots go to.
 */
public record BootKernel(String tag, Arch arch, Variant variant, Profile profile, Path bzImage, Path buildDir,
                         Set<String> compiledIn, List<String> programs, Path dir, Delivery delivery) {

    /** A kernel booted through the IDT. */
    public BootKernel(String tag, Arch arch, Variant variant, Profile profile, Path bzImage, Path buildDir,
                      Set<String> compiledIn, List<String> programs, Path dir) {
        this(tag, arch, variant, profile, bzImage, buildDir, compiledIn, programs, dir, Delivery.IDT);
    }
}
