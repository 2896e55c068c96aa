package dev.idtgen.run;

import dev.idtgen.boot.TestResult;
import dev.idtgen.boot.TestKey;
import dev.idtgen.boot.Unit;

import dev.idtgen.boot.Ktap;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DisagreementProtocolTest {

    private static TestResult r(String program, String name, Ktap.Status s) {
        return new TestResult(dev.idtgen.boot.Unit.parse(program), 1, name, s, "", List.of());
    }

    @Test
    void findsDifferentStatusesAndTestsOnlyOneKernelReported() {
        List<TestResult> stock = List.of(r("traps-64", "exc_int3 int3", Ktap.Status.PASS),
                r("ksft_syscall_numbering-64", "selftest syscall_numbering-64", Ktap.Status.PASS),
                r("sweep-64", "sweep int_3", Ktap.Status.PASS));
        List<TestResult> gen = List.of(r("traps-64", "exc_int3 int3", Ktap.Status.PASS),
                r("ksft_syscall_numbering-64", "selftest syscall_numbering-64", Ktap.Status.TIMEOUT),
                r("sweep-64", "sweep int_3", Ktap.Status.PASS),
                r("traps-64", "traps-64 harness", Ktap.Status.FAIL));
        List<TestKey> keys = DisagreementProtocol.disagreeing(stock, gen);
        assertEquals(2, keys.size(), keys.toString());
        assertEquals("ksft_syscall_numbering-64", keys.get(0).unit().id());
        assertEquals("traps-64", keys.get(1).unit().id());
    }

    @Test
    void aDifferenceOnEveryRunStands() {
        var n = DisagreementProtocol.judge("x86_64", new TestKey(Unit.parse("sweep-64"), "sweep int_129", 1),
                List.of("pass", "pass", "pass"), List.of("fail", "fail", "fail"));
        assertFalse(n.agree());
        assertTrue(n.deterministic());
        assertEquals("differs on every run: stock 3/3 pass vs generated 3/3 fail", n.describe());
        assertEquals("sweep int_129", n.name());
    }

    @Test
    void aFlakyTestOnBothKernelsAgreesOnItsMajority() {
        var n = DisagreementProtocol.judge("x86_64", new TestKey(Unit.parse("k"), "selftest x", 1), List.of("pass", "timeout", "pass"),
                List.of("timeout", "pass", "pass"));
        assertTrue(n.agree());
        assertFalse(n.deterministic());
        assertEquals("flaky on both kernels: stock 2/3 pass vs generated 2/3 pass", n.describe());
    }

    @Test
    void flakyOnOneKernelOnly() {
        var n = DisagreementProtocol.judge("i386", new TestKey(Unit.parse("k"), "t", 1), List.of("pass", "pass", "pass"),
                List.of("fail", "pass", "pass"));
        assertTrue(n.agree());
        assertEquals("flaky on the generated kernel: stock 3/3 pass vs generated 2/3 pass", n.describe());
    }

    @Test
    void majoritiesThatStillDifferAreADisagreement() {
        var n = DisagreementProtocol.judge("i386", new TestKey(Unit.parse("k"), "t", 1), List.of("pass", "pass", "fail"),
                List.of("fail", "fail", "pass"));
        assertFalse(n.agree());
        assertFalse(n.deterministic());
        assertTrue(n.describe().startsWith("still different after the re-runs"), n.describe());
    }

    @Test
    void noMajorityKeepsTheFirstSample() {
        assertEquals("pass", DisagreementProtocol.majority(List.of("pass", "fail", "timeout")));
        assertEquals("fail", DisagreementProtocol.majority(List.of("pass", "fail", "fail")));
    }

    @Test
    void applyReplacesJudgedResultsAndDropsAbsentOnes() {
        TestResult passS = r("p", "t", Ktap.Status.PASS);
        TestResult failG = r("p", "t", Ktap.Status.FAIL);
        TestResult passG = r("p", "t", Ktap.Status.PASS);
        TestResult harness = r("p", "p harness", Ktap.Status.TIMEOUT);
        TestKey key = new TestKey(Unit.parse("p"), "t", 1);
        TestKey hk = new TestKey(Unit.parse("p"), "p harness", 1);
        var n = DisagreementProtocol.judge("x86_64", key, List.of("pass", "pass", "pass"),
                List.of("fail", "pass", "pass"));
        var h = DisagreementProtocol.judge("x86_64", hk, List.of("absent", "absent", "absent"),
                List.of("timeout", "absent", "absent"));
        List<TestResult> samplesG = new ArrayList<>(List.of(failG, passG, passG));
        List<TestResult> hSamples = new ArrayList<>();
        hSamples.add(harness);
        hSamples.add(null);
        hSamples.add(null);
        List<TestResult> out = DisagreementProtocol.apply(List.of(failG, harness),
                Map.of(key, samplesG, hk, hSamples), Map.of(key, n, hk, h), false);
        assertEquals(1, out.size(), out.toString());
        assertEquals(Ktap.Status.PASS, out.get(0).status());
        assertTrue(out.get(0).diagnostics().get(0).contains("flaky on the generated kernel"));
        List<TestResult> stockOut = DisagreementProtocol.apply(List.of(passS), Map.of(key,
                List.of(passS, passS, passS)), Map.of(key, n), true);
        assertEquals(Ktap.Status.PASS, stockOut.get(0).status());
    }
}
