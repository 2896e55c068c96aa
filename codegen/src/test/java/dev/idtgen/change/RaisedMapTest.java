package dev.idtgen.change;

import dev.idtgen.boot.Unit;
import dev.idtgen.change.InterruptLog.Phases;
import dev.idtgen.change.InterruptLog.Window;
import dev.idtgen.change.RaisedMap.Boot;
import dev.idtgen.change.RaisedMap.Measured;
import dev.idtgen.change.RaisedMap.NotMeasured;
import dev.idtgen.config.ConfigException;
import dev.idtgen.config.YamlDoc;
import dev.idtgen.io.YamlFiles;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Boots' phases attributed to units and boots, merged, carried, looked up and read back. */
class RaisedMapTest {

    static Phases phases(Map<Integer, Window> programs, Optional<Window> crash) {
        return new Phases(Set.of(0x03, 0xec), Set.of(0x0e, 0x24), programs, crash, "", 42);
    }

    static Window ended(Integer... vectors) {
        return new Window(Set.of(vectors), true);
    }

    static Boot boot(String job, List<String> programs, String crash, String unfinished, Phases p) {
        return new Boot(job, programs, crash, unfinished, Optional.of(p));
    }

    @Test
    void eachProgramGetsItsWindowAndEachBootItsOwnPhases() {
        RaisedMap m = RaisedMap.of(List.of(boot("guest", List.of("traps-64", "sweep-64"), "crash-bug", "",
                phases(Map.of(0, ended(0x06, 0x0d), 1, ended(0x0d)), Optional.of(new Window(Set.of(0x06), false))))));
        assertEquals(new RaisedMap.UnitEntry("guest", new Measured(Set.of(0x06, 0x0d))), m.units().get("traps-64"));
        assertEquals(new Measured(Set.of(0x0d)), m.units().get("sweep-64").measure());
        // the crash took the VM down, QEMU ended by itself: its window ran to the end of a complete log
        assertEquals(new Measured(Set.of(0x06)), m.units().get("crash-bug").measure());
        assertEquals(new RaisedMap.BootEntry(new Measured(Set.of(0x0e, 0x24)), new Measured(Set.of(0x03, 0xec))),
                m.boots().get("guest"));
    }

    @Test
    void aKilledBootMeasuresOnlyTheWindowsThatEnded() {
        RaisedMap m = RaisedMap.of(List.of(boot("selftests", List.of("ksft_a-64", "ksft_b-64", "ksft_c-64"),
                "crash-df", "was killed: idle", phases(Map.of(0, ended(0x0d), 1, new Window(Set.of(0x01), false)),
                        Optional.empty()))));
        assertEquals(new Measured(Set.of(0x0d)), m.units().get("ksft_a-64").measure());
        assertEquals(new NotMeasured("its boot was killed: idle"), m.units().get("ksft_b-64").measure());
        assertFalse(m.units().containsKey("ksft_c-64"), "never ran in this boot: nothing said of it");
        assertFalse(m.units().containsKey("crash-df"));
        assertEquals(new NotMeasured("the boot was killed: idle"), m.boots().get("selftests").init());
    }

    @Test
    void aProgramThatTookTheKernelDownIsNotMeasuredAndTheNextBootGoesOn() {
        RaisedMap m = RaisedMap.of(List.of(
                boot("guest", List.of("a-64", "b-64"), null, "", phases(Map.of(0, new Window(Set.of(0x06), false)),
                        Optional.empty())),
                boot("guest", List.of("b-64"), null, "", phases(Map.of(0, ended(0x03)), Optional.empty()))));
        assertInstanceOf(NotMeasured.class, m.units().get("a-64").measure());
        assertEquals(new Measured(Set.of(0x03)), m.units().get("b-64").measure());
    }

    @Test
    void aBootWithoutALogOrWithoutMarksMeasuresNothing() {
        RaisedMap bochs = RaisedMap.of(List.of(new Boot("selftests", List.of("ksft_a-64"), null, "",
                Optional.empty())));
        assertEquals(new NotMeasured("its boot left no interrupt log"), bochs.units().get("ksft_a-64").measure());
        assertFalse(bochs.anyMeasured());
        RaisedMap unmarked = RaisedMap.of(List.of(boot("guest", List.of("traps-64"), "crash-bug", "",
                InterruptLog.parse(List.of()))));
        assertTrue(((NotMeasured) unmarked.units().get("crash-bug").measure()).why().contains("no marks"));
        assertInstanceOf(NotMeasured.class, unmarked.boots().get("guest").kernel());
    }

    @Test
    void bootsOfOneUnitAreUnitedAndOneUnmeasuredBootWins() {
        Boot first = boot("smp", List.of("irqs-64"), null, "", phases(Map.of(0, ended(0xfd)), Optional.empty()));
        Boot again = boot("smp~irqs-64", List.of("irqs-64"), null, "", phases(Map.of(0, ended(0xfb)),
                Optional.empty()));
        RaisedMap m = RaisedMap.of(List.of(first, again));
        assertEquals(new RaisedMap.UnitEntry("smp", new Measured(Set.of(0xfb, 0xfd))), m.units().get("irqs-64"));
        assertEquals(Set.of("smp"), m.boots().keySet(), "a single-program re-run is a boot of its group");
        RaisedMap killed = RaisedMap.of(List.of(first, boot("smp", List.of("irqs-64"), null, "was killed: x",
                phases(Map.of(0, new Window(Set.of(), false)), Optional.empty()))));
        assertInstanceOf(NotMeasured.class, killed.units().get("irqs-64").measure());
    }

    @Test
    void aChangeAwareRunCarriesTheEntriesOfWhatItCarried() {
        RaisedMap before = RaisedMap.of(List.of(boot("selftests", List.of("ksft_a-64", "ksft_b-64"), null, "",
                phases(Map.of(0, ended(0x0d), 1, ended(0x01)), Optional.empty()))));
        RaisedMap now = RaisedMap.of(List.of(boot("guest", List.of("sweep-64"), null, "",
                phases(Map.of(0, ended(0x80)), Optional.empty()))));
        RaisedMap kept = now.withCarried(before, Set.of("ksft_b-64", "@gone"));
        assertEquals(Set.of("sweep-64", "ksft_b-64"), kept.units().keySet());
        assertEquals(Set.of("guest", "selftests"), kept.boots().keySet());
    }

    @Test
    void theLookupSaysWhatWasEnteredWhere() {
        RaisedMap m = RaisedMap.of(List.of(boot("selftests", List.of("ksft_a-64"), null, "",
                phases(Map.of(0, ended(0x0d)), Optional.empty()))));
        Unit a = Unit.named("ksft_a-64");
        assertEquals(new RaisedMap.Entered("entered 0x0d (measured)"), m.lookup(a, Set.of(0x0d, 0x06)));
        assertEquals(new RaisedMap.Entered("its boot (selftests) entered 0x24 outside the programs (measured)"),
                m.lookup(a, Set.of(0x24)));
        assertEquals(new RaisedMap.Clear(), m.lookup(a, Set.of(0x06, 0x03)),
                "the kernel's boot before /init is not the unit's (README, Change-aware run)");
        assertEquals(new RaisedMap.Entered("entered 0x0e outside the programs (measured)"),
                m.lookup(Unit.group("selftests"), Set.of(0x0e)));
        assertInstanceOf(RaisedMap.Unknown.class, m.lookup(Unit.named("new-64"), Set.of(0x0d)));
        assertInstanceOf(RaisedMap.Unknown.class, m.lookup(Unit.group("smp"), Set.of(0x0d)));
    }

    @Test
    void aMapReadsBackAsWrittenAndAnotherVersionIsNone() throws ConfigException {
        RaisedMap m = RaisedMap.of(List.of(
                boot("selftests", List.of("ksft_a-64", "ksft_b-64"), "crash-df", "was killed: x",
                        phases(Map.of(0, ended(0x0d), 1, new Window(Set.of(), false)), Optional.empty())),
                boot("guest", List.of("traps-64"), null, "", phases(Map.of(0, ended()), Optional.empty()))));
        String yaml = YamlFiles.dump(m.toData());
        assertEquals(Optional.of(m), RaisedMap.fromNode(YamlDoc.parse("baseline.yaml", yaml).asMap()), yaml);
        assertEquals(Optional.empty(), RaisedMap.fromNode(YamlDoc.parse("baseline.yaml",
                yaml.replace("version: " + RaisedMap.VERSION, "version: 0")).asMap()));
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, () ->
                RaisedMap.fromNode(YamlDoc.parse("baseline.yaml", "version: 1\nboots: {}\nunits:\n  x: {boot: g}\n")
                        .asMap()));
        assertTrue(e.getMessage().startsWith("baseline.yaml:4:"), e.getMessage());
    }
}
