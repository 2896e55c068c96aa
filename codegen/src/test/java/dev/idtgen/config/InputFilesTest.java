package dev.idtgen.config;

import dev.idtgen.bochs.BochsPlan;
import dev.idtgen.boot.BootPlan;
import dev.idtgen.change.RetestRule;
import dev.idtgen.kernel.KernelInfo;
import dev.idtgen.kernel.Workspace;
import dev.idtgen.lava.LavaPlan;
import dev.idtgen.model.VectorTable;
import dev.idtgen.render.Renderer;
import dev.idtgen.run.MainJob;
import dev.idtgen.validate.Tables;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every input YAML file kind, malformed four ways (a wrong type, an unknown key, a missing key, bad YAML):
 * each is one problem printed {@code file:line:column: rule: message}, never an exception of another kind.
 * Each case starts from a small valid file of the kind ({@link #validFilesLoad} checks they are valid).
 */
class InputFilesTest {

    /** A file kind: its name where idtgen looks for it, a small valid text, and how idtgen reads it. */
    enum Kind {
        BOOTS("qemu-tests/boots.yaml", """
                qemu:
                  x86_64: {binary: qemu-system-x86_64, cpu: qemu64}
                  i386: {binary: qemu-system-i386, cpu: qemu32}
                append: console=ttyS0
                limits: {margin: 4, budget: 10, boot: 10, idle: 30, guest: 10, reruns: 2}
                boots:
                  - name: guest
                    programs: ["*"]
                crashes: []
                inject: {nmi: nmi}
                """),
        BOCHS("qemu-tests/bochs.yaml", """
                emulator: {env: IDTGEN_BOCHS, binary: bochs, rom: BIOS, vgarom: VGA, cpu: wildcat_lake, memory: 256, ips: 1}
                kernels: {"6.12": [x86_64-tiny]}
                evidence: Initialize FRED
                append: fred=on
                grub: "linux @APPEND@"
                bochsrc: "megs: @MEMORY@"
                limits: {margin: 4, budget: 15, boot: 15, idle: 30, guest: 10, reruns: 2}
                boots:
                  - name: fred
                    programs: [traps-64]
                crashes: []
                inject: {}
                """),
        LAVA("qemu-tests/lava.yaml", """
                dispatcher: {dispatcher_ip: 127.0.0.1}
                qemu_options: [-no-reboot]
                console: {connection: console, connect: cat, exited: "# exited", end: "# closed"}
                monitor: {pattern: 'ok', fixupdict: {ok: pass}, end: 'end', spawn_maxread: 1024}
                timeouts: {wall: 3, slack: 120, silence: 600}
                board: {device_type: x86, method: ipxe, commands: ramdisk, connection: uart1, drop_args: [], fred_tags: []}
                injections: {"nmi-*": [nmi]}
                connect: unixcat
                untested_on_board: {exc_nmi: inject}
                cannot: {inject: a, crash: b, shutdown: c, fred: d}
                """),
        CHANGE("qemu-tests/change.yaml", """
                always: ["sweep-*"]
                ambient: [exc_page_fault, 0x80]
                raises: {"ksft_*": [0x00-0x1f]}
                """),
        UNTESTABLE("qemu-tests/untestable.yaml", """
                exc_nmi: "why"
                exc_invalid_tss: "why not"
                """),
        DELIVERY("templates/delivery.yaml", """
                common_interrupt: {retrigger: true}
                spurious_interrupt: {stat: irq_spurious_count}
                """),
        KERNEL_MODE("templates/kernel_mode.yaml", """
                exc_divide_error: {raise: notify}
                exc_nmi: {none: "why"}
                """),
        KERNELS("templates/kernels.yaml", """
                "6.1":
                  outputs:
                    a.h: idtentry_list.h.j2
                """),
        KERNEL("kernel-patch/6.1/kernel.yaml", """
                package: linux-source-6.1
                tarball: /usr/src/linux-source-6.1.tar.xz
                """);

        final String file;
        final String valid;

        Kind(String file, String valid) {
            this.file = file;
            this.valid = valid;
        }
    }

    private static VectorTable table;

    @BeforeAll
    static void table() {
        table = Tables.read(Path.of("vectors.yaml"), List.of(), "6.1").table();
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                bad(Kind.BOOTS, "margin: 4", "margin: four", "5:18: wrong-type: limits.margin must be a number"),
                bad(Kind.BOOTS, "programs: [\"*\"]", "programs: [\"*\"]\n    colour: red", "9:5: unknown-key: "),
                bad(Kind.BOOTS, "append: console=ttyS0\n", "", "1:1: missing-key: the file has no 'append'"),
                bad(Kind.BOOTS, "inject: {nmi: nmi}", "inject: {nmi: nmi", "11:1: yaml-syntax: "),
                bad(Kind.BOCHS, "[x86_64-tiny]", "x86_64-tiny", "2:19: wrong-type: kernels.6.12 must be a list"),
                bad(Kind.BOCHS, "inject: {}", "inject: {}\ncolour: red", "13:1: unknown-key: unknown key 'colour'"),
                bad(Kind.BOCHS, "evidence: Initialize FRED\n", "", "1:1: missing-key: the file has no 'evidence'"),
                bad(Kind.BOCHS, "bochsrc: \"megs: @MEMORY@\"", "bochsrc: \"megs: @MEMORY@", "13:1: yaml-syntax: "),
                bad(Kind.LAVA, "wall: 3", "wall: three", "5:18: wrong-type: timeouts.wall must be a number"),
                bad(Kind.LAVA, "connect: unixcat", "connect: unixcat\ncolour: red", "9:1: unknown-key: "),
                bad(Kind.LAVA, ", fred: d}", "}", "10:9: missing-key: cannot has no 'fred'"),
                bad(Kind.LAVA, "connect: unixcat", "connect: [unixcat", "9:18: yaml-syntax: "),
                bad(Kind.CHANGE, "[0x00-0x1f]", "0x00-0x1f", "3:20: wrong-type: raises.ksft_* must be a list"),
                bad(Kind.CHANGE, "always:", "alwys:", "1:1: unknown-key: unknown key 'alwys'"),
                bad(Kind.CHANGE, "[0x00-0x1f]", "", "3:10: missing-key: raises has no value for 'ksft_*'"),
                bad(Kind.CHANGE, "always: [", "always: [[", "2:1: yaml-syntax: "),
                bad(Kind.UNTESTABLE, "\"why not\"", "[why, not]", "2:18: wrong-type: exc_invalid_tss must be a string"),
                bad(Kind.UNTESTABLE, "exc_nmi: \"why\"\nexc_invalid_tss: \"why not\"\n", "- exc_nmi\n", "1:1: wrong-type: the file must be a mapping"),
                bad(Kind.UNTESTABLE, "\"why not\"", "", "2:1: missing-key: the file has no value for 'exc_invalid_tss'"),
                bad(Kind.UNTESTABLE, "exc_nmi: \"why\"", "exc_nmi: \"why", "2:19: yaml-syntax: "),
                bad(Kind.DELIVERY, "retrigger: true", "retrigger: yes", "1:31: wrong-type: common_interrupt.retrigger"),
                bad(Kind.DELIVERY, "{stat: irq_spurious_count}", "{stat: irq_spurious_count, colour: red}",
                        "2:48: unknown-key: unknown key 'colour' in spurious_interrupt"),
                bad(Kind.DELIVERY, "{stat: irq_spurious_count}", "{}", "2:21: missing-key: spurious_interrupt: needs one"),
                bad(Kind.DELIVERY, "{retrigger: true}", "{retrigger: true", "2:19: yaml-syntax: "),
                bad(Kind.KERNEL_MODE, "{none: \"why\"}", "[none]", "2:10: wrong-type: exc_nmi must be a mapping"),
                bad(Kind.KERNEL_MODE, "{raise: notify}", "{rise: notify}", "1:20: unknown-key: unknown key 'rise'"),
                bad(Kind.KERNEL_MODE, "{none: \"why\"}", "{}", "2:10: missing-key: exc_nmi: needs one of raise"),
                bad(Kind.KERNEL_MODE, "{none: \"why\"}", "{none: \"why}", "3:1: yaml-syntax: "),
                bad(Kind.KERNELS, "    a.h: idtentry_list.h.j2", "    - a.h", "3:5: wrong-type: 6.1.outputs must be a mapping"),
                bad(Kind.KERNELS, "  outputs:", "  colour: red\n  outputs:", "2:3: unknown-key: unknown key 'colour'"),
                bad(Kind.KERNELS, "  outputs:\n    a.h: idtentry_list.h.j2", "  features: {}",
                        "2:3: missing-key: 6.1 has no 'outputs'"),
                bad(Kind.KERNELS, "a.h: idtentry_list.h.j2", "a.h: [idtentry_list.h.j2", "4:1: yaml-syntax: "),
                bad(Kind.KERNEL, "package: linux-source-6.1", "package: [linux-source-6.1]",
                        "1:10: wrong-type: package must be a string"),
                bad(Kind.KERNEL, "tarball:", "tarbal:", "2:1: unknown-key: unknown key 'tarbal'"),
                bad(Kind.KERNEL, "tarball: /usr/src/linux-source-6.1.tar.xz\n", "", "1:1: missing-key: the file has no 'tarball'"),
                bad(Kind.KERNEL, "package: linux", "package: \"linux", "3:1: yaml-syntax: "));
    }

    private static Arguments bad(Kind kind, String from, String to, String expected) {
        if (!kind.valid.contains(from)) {
            throw new IllegalArgumentException(kind + " has no '" + from + "'");
        }
        return Arguments.of(kind, kind.valid.replace(from, to), expected);
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("cases")
    void malformedFileIsOneProblemAtItsPlace(Kind kind, String text, String expected, @TempDir Path dir)
            throws Exception {
        Path file = write(dir, kind, text);
        Exception thrown = assertThrows(Exception.class, () -> load(kind, dir));
        Throwable e = thrown;
        if (thrown instanceof Renderer.RenderException) {
            assertTrue(thrown.getMessage().startsWith(file + ":" + expected), thrown.getMessage());
            e = thrown.getCause();
        }
        ConfigException c = assertInstanceOf(ConfigException.class, e, () -> String.valueOf(thrown));
        assertEquals(1, c.problems().size(), c.getMessage());
        String problem = c.problems().get(0).toString();
        assertTrue(problem.startsWith(file + ":" + expected), problem + "\n  expected: " + file + ":" + expected);
        assertEquals(problem, c.getMessage());
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void missingFileIsAnIoProblem(Kind kind, @TempDir Path dir) throws Exception {
        Path file = write(dir, kind, "");
        Files.delete(file);
        Exception thrown = assertThrows(Exception.class, () -> load(kind, dir));
        if (kind == Kind.KERNEL) {
            assertTrue(thrown.getMessage().startsWith("kernel 6.1 has no "), thrown.getMessage());
            return;
        }
        Throwable e = thrown instanceof Renderer.RenderException ? thrown.getCause() : thrown;
        ConfigException c = assertInstanceOf(ConfigException.class, e, () -> String.valueOf(thrown));
        assertEquals(file + ": io: no such file", c.getMessage());
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void validFilesLoad(Kind kind, @TempDir Path dir) throws Exception {
        write(dir, kind, kind.valid);
        load(kind, dir);
    }

    static Stream<Kind> kinds() {
        return Stream.of(Kind.values());
    }

    /** Writes the file of {@code kind} under a project {@code dir} (a templates file: beside the real templates). */
    private static Path write(Path dir, Kind kind, String text) throws IOException {
        Path file = dir.resolve(kind.file);
        Files.createDirectories(file.getParent());
        if (kind.file.startsWith("templates/")) {
            try (Stream<Path> real = Files.list(Path.of("templates"))) {
                for (Path p : real.toList()) {
                    Files.copy(p, file.getParent().resolve(p.getFileName().toString()));
                }
            }
        }
        Files.writeString(file, text);
        return file;
    }

    private static void load(Kind kind, Path dir) throws Exception {
        Path file = dir.resolve(kind.file);
        switch (kind) {
            case BOOTS -> BootPlan.load(file);
            case BOCHS -> BochsPlan.load(file);
            case LAVA -> LavaPlan.load(file);
            case CHANGE -> RetestRule.load(file, table);
            case UNTESTABLE -> MainJob.untestable(new Workspace(dir.resolve("work"), dir, "6.1"));
            case DELIVERY, KERNEL_MODE, KERNELS -> new Renderer(file.getParent());
            case KERNEL -> KernelInfo.read(new Workspace(dir.resolve("work"), dir, "6.1"));
            default -> throw new IllegalArgumentException(kind.name());
        }
    }
}
