package dev.idtgen.bochs;

import dev.idtgen.kernel.Profile;
import dev.idtgen.model.Arch;
import dev.idtgen.boot.Delivery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** qemu-tests/bochs.yaml as the FRED boots read it. */
class BochsPlanTest {

    private static BochsPlan plan() throws Exception {
        return BochsPlan.load(Path.of(BochsPlan.FILE));
    }

    @Test
    void onlyThe612X86_64TinyKernelGetsFredBoots() throws Exception {
        BochsPlan p = plan();
        assertTrue(p.boots("6.12", Arch.X86_64, Profile.TINY));
        assertFalse(p.boots("6.12", Arch.I386, Profile.TINY), "no FRED on i386");
        assertFalse(p.boots("6.1", Arch.X86_64, Profile.TINY), "6.1 has no FRED");
        assertFalse(p.boots("6.12", Arch.X86_64, Profile.FULL));
    }

    @Test
    void theBootsFollowBootsYamlsSchemaWithFredOnAndOneCpu() throws Exception {
        BochsPlan p = plan();
        var boots = p.boots();
        assertTrue(boots.append().contains("fred=on"), boots.append());
        assertTrue(boots.append().contains("idtgen.exit=bochs"), boots.append());
        assertEquals("wildcat_lake", boots.cpu(Arch.X86_64, Map.of()));
        assertTrue(boots.groups().stream().allMatch(g -> g.cpus() == 1), "this Bochs has no SMP");
        assertTrue(boots.group(Arch.X86_64, "traps-64").isPresent());
        assertTrue(boots.group(Arch.X86_64, "nmi-64").isEmpty(), "nothing can inject an NMI on Bochs");
        assertTrue(boots.group(Arch.X86_64, "mce-64").isEmpty(), "nothing can inject a #MC on Bochs");
        assertTrue(boots.inject().isEmpty());
        assertTrue(p.untestable().containsKey("exc_nmi"));
        assertEquals(Delivery.FRED, p.backend(null).delivery());
        assertTrue(p.evidence().matcher("[    0.3] Initialize FRED on CPU0").find());
    }

    @Test
    void theBochsrcAndGrubCfgGetEveryPlaceholderFilled() throws Exception {
        BochsPlan p = plan();
        String rc = p.bochsrc(Path.of("/opt/bochs"), Path.of("/w/boot.iso"), "127.0.0.1:4001",
                Path.of("/w/bochs.log"));
        assertFalse(rc.contains("@"), rc);
        assertTrue(rc.contains("romimage: file=/opt/bochs/BIOS-bochs-latest"), rc);
        assertTrue(rc.contains("model=wildcat_lake"), rc);
        assertTrue(rc.contains("com1: enabled=1, mode=socket-client, dev=127.0.0.1:4001"), rc);
        assertTrue(rc.contains("port_e9_hack: enabled=1"), rc);
        assertTrue(p.boots().append().contains("idtgen.out=e9"), "the test stream takes port 0xE9");
        assertTrue(rc.contains("path=/w/boot.iso"), rc);
        String grub = p.grub("console=ttyS0 fred=on");
        assertTrue(grub.contains("linux /boot/bzImage console=ttyS0 fred=on"), grub);
        assertFalse(grub.contains("@"), grub);
    }

    @Test
    void withoutBochsTheReasonSaysWhatIsMissing(@TempDir Path dir) throws Exception {
        BochsPlan p = plan();
        assertTrue(p.unavailable(Map.of()).orElseThrow().startsWith("IDTGEN_BOCHS is not set"));
        assertTrue(p.unavailable(Map.of("IDTGEN_BOCHS", dir.toString())).orElseThrow().contains("has no bochs"));
        for (String f : p.files()) {
            Files.writeString(dir.resolve(f), "");
        }
        assertTrue(p.unavailable(Map.of("IDTGEN_BOCHS", dir.toString())).orElseThrow().contains("not executable"));
        Files.setPosixFilePermissions(dir.resolve("bochs"), PosixFilePermissions.fromString("rwxr-xr-x"));
        assertEquals(java.util.Optional.empty(), p.unavailable(Map.of("IDTGEN_BOCHS", dir.toString())));
    }
}
