package dev.idtgen.boot;

import java.util.ArrayList;
import java.util.List;

/**
 * The results of one program's run in a boot: its KTAP test points and harness problems, or, for the kernel's own
 * selftests, the verdict of their exit code (0 pass, 4 skip: kselftest.h's KSFT_SKIP); a program /init or the host
 * killed at its limit is a TIMEOUT with how far it got.
 */
final class ProgramJudge {

    private ProgramJudge() {
    }

    static List<TestResult> results(Ktap.Program p, BootRecord r) {
        String timeout = timeout(p, r);
        Unit unit = Unit.named(p.name());
        List<TestResult> results = new ArrayList<>();
        if (p.name().startsWith(GuestPrograms.SELFTEST)) {
            results.add(selftest(p, timeout));
            return results;
        }
        results.addAll(p.results());
        if (timeout != null) {
            results.add(Judge.result(unit, p.name() + " harness", Ktap.Status.TIMEOUT, timeout));
            return results;
        }
        for (String problem : p.problems()) {
            results.add(Judge.result(unit, p.name() + " harness", Ktap.Status.FAIL, problem));
        }
        return results;
    }

    /** Why the program was stopped at its limit (the guest's backstop or the host's kill), or null. */
    private static String timeout(Ktap.Program p, BootRecord r) {
        String timeout = null;
        if (p.timeout() != null) {
            timeout = "timeout: /init killed it " + p.timeout() + " (guest time; its backstop)";
        } else if (p.exitCode() == null && r.kill() != null && p.name().equals(r.kill().program())) {
            timeout = r.kill().describe();
        }
        return timeout == null ? null : timeout + "; progress: " + p.progress();
    }

    private static TestResult selftest(Ktap.Program p, String timeout) {
        Unit unit = Unit.named(p.name());
        String name = "selftest " + p.name().substring(GuestPrograms.SELFTEST.length());
        if (timeout != null) {
            return new TestResult(unit, 0, name, Ktap.Status.TIMEOUT, timeout, List.of(timeout));
        }
        Integer rc = p.exitCode();
        Ktap.Status status = rc == null ? Ktap.Status.FAIL : rc == 0 ? Ktap.Status.PASS
                : rc == GuestPrograms.KSFT_SKIP ? Ktap.Status.SKIP : Ktap.Status.FAIL;
        return new TestResult(unit, 0, name, status, rc != null && rc == GuestPrograms.KSFT_SKIP ? "KSFT_SKIP" : "",
                rc == null ? List.of("took the kernel down") : List.of("exit " + rc));
    }
}
