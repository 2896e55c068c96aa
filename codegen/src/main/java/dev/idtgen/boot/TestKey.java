package dev.idtgen.boot;

/**
 * One test of a kernel's run, told apart from every other: its unit, its name, and which occurrence of that name
 * in that unit it is (1 for the first: a program can report a name twice, e.g. two harness problems). The two
 * kernels of a pair are compared test by test on these keys.
 */
public record TestKey(Unit unit, String name, int occurrence) {

    /** How the run's output and the report print it: unit, then name. */
    @Override
    public String toString() {
        return unit.id() + " " + name + (occurrence == 1 ? "" : " #" + occurrence);
    }
}
