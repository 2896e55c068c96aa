package dev.idtgen.edit;

import dev.idtgen.model.Entry;
import dev.idtgen.model.Gate;
import dev.idtgen.model.Kind;
import dev.idtgen.model.VectorTable;

import java.util.List;

/**
 * What a user must add when a vector their edit changes got no test result on the generated kernel: the file, and
 * an example line, chosen by what the table says of the vector (its kind and its gates' DPL). A changed vector is
 * judged on the generated kernel alone, so "no result" is a failure of the edit, and this is its message.
 */
public final class ProofAdvice {

    private ProofAdvice() {
    }

    /** The message for entry {@code e} of the edited table {@code t}, which no test of the run reached. */
    public static String of(Entry e, VectorTable t) {
        String h = e.handler();
        String n = e.number() == null ? e.vector() : String.format("0x%02x", e.number());
        String head = "no test reached " + n + " " + h + ", which the edit changes: ";
        if (e.kind() == Kind.SYSVEC || e.kind() == Kind.SYSVEC_SIMPLE) {
            return head + "the delivery suite sent it no self-IPI (is CONFIG_X86_LOCAL_APIC set in this profile, "
                    + "and does its templates/delivery.yaml line say none?); prove it with a line in "
                    + "templates/delivery.yaml, e.g. `" + h + ": {counter: " + h.replace("sysvec_", "") + "_count}` "
                    + "(a global atomic_t its handler increments), or say why it cannot be in "
                    + "qemu-tests/untestable.yaml";
        }
        boolean user = gates(t, h).stream().anyMatch(g -> g.dpl() == 3);
        String why = user ? "the int $n sweep found no result for it"
                : e.number() != null && e.number() < 32
                ? "it is an exception that no guest program or kernel-mode raise in templates/kernel_mode.yaml covers"
                : "its gates have DPL 0, so user space's int $" + n + " takes #GP instead, and only system "
                + "vectors get a self-IPI";
        return head + why + ". Add one of: a guest test that raises it, whose KTAP case names start with \"" + h
                + " \" (a program in qemu-tests/guest/, run by a boot of qemu-tests/boots.yaml); a DPL 3 gate "
                + "(`dpl: 3` with a `waive: {dpl3: ...}` reason), which the sweep then raises from user space; or, "
                + "when nothing can raise it here, a reason in qemu-tests/untestable.yaml, e.g. `" + h
                + ": \"raised only by <what raises it>, which QEMU does not emulate\"`";
    }

    private static List<Gate> gates(VectorTable t, String handler) {
        return t.gates().values().stream().flatMap(List::stream).filter(g -> g.handler().equals(handler)).toList();
    }
}
