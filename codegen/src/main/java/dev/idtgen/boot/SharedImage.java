package dev.idtgen.boot;

/**
 * A kernel that is not booted because its image is byte-identical to another's: {@code booted} runs every boot,
 * and its results are credited to {@code credited}, saying so.
 *
 * @param booted   the kernel whose boots run (the stock kernel of the pair)
 * @param credited the kernel that gets the booted kernel's results
 * @param proof    why the images are the same ({@link dev.idtgen.kernel.ImageIdentity#proof})
 */
public record SharedImage(BootKernel booted, BootKernel credited, String proof) {

    /** One line for the console and the report. */
    public String line() {
        return booted.arch().yamlName() + "/" + booted.profile().cliName()
                + (booted.delivery() == Delivery.IDT ? "" : " (" + booted.delivery().cliName() + ")")
                + ": identical image: booted once as " + booted.variant().cliName() + ", its results credited to "
                + credited.variant().cliName() + " (proof: " + proof + ")";
    }

    /** What a test case of the credited kernel says about where its result came from. */
    public String creditNote() {
        return "identical image: booted once as " + booted.variant().cliName() + ", the result credited to "
                + credited.variant().cliName() + " (proof: " + proof + ")";
    }
}
