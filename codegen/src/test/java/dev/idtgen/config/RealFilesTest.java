package dev.idtgen.config;

import dev.idtgen.bochs.BochsPlan;
import dev.idtgen.boot.BootPlan;
import dev.idtgen.kernel.KernelInfo;
import dev.idtgen.kernel.Workspace;
import dev.idtgen.lava.LavaPlan;
import dev.idtgen.model.Arch;
import dev.idtgen.render.Renderer;
import dev.idtgen.run.MainJob;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The project's own input files read through the typed reader give the values a plain snakeyaml-engine
 * Load of the same file gives (the way they were read before).
 */
class RealFilesTest {

    @SuppressWarnings("unchecked")
    private static Map<String, Object> plain(String file) throws IOException {
        return (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(Files.readString(Path.of(file)));
    }

    private static Map<String, String> strings(Object map) {
        Map<String, String> out = new LinkedHashMap<>();
        ((Map<?, ?>) map).forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
        return out;
    }

    private static List<String> names(Object list, String key) {
        List<String> out = new ArrayList<>();
        for (Object o : (List<?>) list) {
            out.add(String.valueOf(((Map<?, ?>) o).get(key)));
        }
        return out;
    }

    @Test
    @SuppressWarnings("unchecked")
    void bootsYaml() throws IOException {
        Map<String, Object> m = plain("qemu-tests/boots.yaml");
        BootPlan p = BootPlan.load(Path.of("qemu-tests/boots.yaml"));
        assertEquals(m.get("append"), p.append());
        Map<String, Object> l = (Map<String, Object>) m.get("limits");
        assertEquals(List.of(((Number) l.get("margin")).doubleValue(), ((Number) l.get("budget")).doubleValue(),
                ((Number) l.get("reruns")).intValue()), List.of(p.limits().margin(), p.limits().budget(),
                p.limits().reruns()));
        assertEquals(strings(m.get("inject")), p.inject());
        assertEquals(names(m.get("boots"), "name"), p.groups().stream().map(BootPlan.Group::name).toList());
        assertEquals(names(m.get("crashes"), "test"), p.crashes().stream().map(BootPlan.Crash::test).toList());
        Map<String, Object> q = (Map<String, Object>) ((Map<String, Object>) m.get("qemu")).get("i386");
        assertEquals(q.get("cpu"), p.qemu().get(Arch.I386).cpu());
        assertEquals(((Map<?, ?>) m.get("budgets")).keySet(), p.budgets().keySet());
        assertEquals(((Map<?, ?>) m.get("profiles")).keySet(), p.profiles().keySet());
    }

    @Test
    @SuppressWarnings("unchecked")
    void bochsYaml() throws IOException {
        Map<String, Object> m = plain(BochsPlan.FILE);
        BochsPlan p = BochsPlan.load(Path.of(BochsPlan.FILE));
        assertEquals(strings(m.get("emulator")), p.emulator());
        assertEquals(strings(m.get("untestable")), p.untestable());
        assertEquals(m.get("kernels"), p.kernels());
        assertEquals(p.grub("X"), ((String) m.get("grub")).replace("@APPEND@", "X"));
        assertEquals(m.get("append"), p.boots().append());
        assertEquals(names(m.get("boots"), "name"), p.boots().groups().stream().map(BootPlan.Group::name).toList());
    }

    @Test
    @SuppressWarnings("unchecked")
    void lavaYaml() throws IOException {
        Map<String, Object> m = plain(LavaPlan.FILE);
        LavaPlan p = LavaPlan.load(Path.of(LavaPlan.FILE));
        assertEquals(m.get("dispatcher"), p.dispatcher());
        assertEquals(m.get("qemu_options"), p.qemuOptions());
        assertEquals(strings(m.get("cannot")), p.cannot());
        assertEquals(strings(m.get("untested_on_board")), p.untested());
        Map<String, Object> monitor = (Map<String, Object>) m.get("monitor");
        assertEquals(List.of(monitor.get("pattern"), strings(monitor.get("fixupdict")), monitor.get("spawn_maxread")),
                List.of(p.pattern(), p.fixupdict(), p.maxread()));
        assertEquals(((Map<?, ?>) m.get("board")).get("drop_args"), p.board().dropArgs());
    }

    @Test
    void untestableYaml() throws IOException {
        assertEquals(strings(plain("qemu-tests/untestable.yaml")),
                MainJob.untestable(new Workspace(Path.of("work"), Path.of("."), "6.1")));
    }

    @Test
    void kernelYaml() throws IOException {
        for (String series : List.of("6.1", "6.12")) {
            Map<String, Object> m = plain("kernel-patch/" + series + "/kernel.yaml");
            KernelInfo k = KernelInfo.read(new Workspace(Path.of("work"), Path.of("."), series));
            assertEquals(List.of(m.get("package"), Path.of((String) m.get("tarball"))),
                    List.of(k.packageName(), k.tarball()));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void kernelsYaml() throws Exception {
        Map<String, Object> m = plain("templates/kernels.yaml");
        Renderer r = new Renderer(Path.of("templates"));
        assertEquals(new ArrayList<>(m.keySet()), r.kernels());
        for (String k : r.kernels()) {
            Map<String, Object> outputs = (Map<String, Object>) ((Map<String, Object>) m.get(k)).get("outputs");
            assertEquals(strings(outputs), r.outputs(k).stream().collect(LinkedHashMap<String, String>::new,
                    (x, o) -> x.put(o.path(), o.template()), Map::putAll));
        }
    }
}
