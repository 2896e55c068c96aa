package dev.idtgen.cli;

/** The exit codes of the commands that judge boots: 0 success, 1 a failure, 3 only a hang detector fired. */
final class ExitCodes {

    private ExitCodes() {
    }

    /** The exit code of two verdicts together: a failure (1) outranks a timeout (3), which outranks success. */
    static int worse(int a, int b) {
        return a == 1 || b == 1 ? 1 : Math.max(a, b);
    }
}
