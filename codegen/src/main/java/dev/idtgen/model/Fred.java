package dev.idtgen.model;

import java.util.List;
import java.util.Set;

/**
 * How FRED (Flexible Return and Event Delivery, 6.12 on, x86_64) delivers an
 * entry point's events: the dispatchers of arch/x86/entry/entry_fred.c that
 * call it ({@code routes}), the function they call when it is not the
 * entry's C handler ({@code call}: fred_exc_debug, fred_int80_emulation), a
 * run-time guard before the call ({@code guard}, e.g. ia32_enabled()),
 * whether it is tested ahead of the switch ({@code fastPath}: #PF), and its
 * FRED stack level ({@code stackLevel}, kernel/fred.c; FRED's IST). Or no
 * route at all, with the reason ({@code exempt}).
 */
public record Fred(List<Route> routes, String call, String guard, boolean fastPath, Integer stackLevel,
                   String exempt, Pos pos) {

    /** A dispatcher of entry_fred.c. */
    public enum Route implements YamlNamed {
        /** fred_hwexc(): event type HWEXC, the hardware exceptions (generated). */
        HWEXC,
        /** fred_swexc(): event type SWEXC, INT3 and INTO (generated). */
        SWEXC,
        /** fred_intx(): event type SWINT, INT n; every other n becomes #GP (generated). */
        INTX,
        /** sysvec_table[]: event type EXTINT at or above FIRST_SYSTEM_VECTOR, set up statically (generated). */
        SYSVEC,
        /** sysvec_table[] too, installed at run time by sysvec_install() (the hypervisor vectors). */
        RUNTIME,
        /** fred_extint(): EXTINT below FIRST_SYSTEM_VECTOR (common_interrupt), or an empty sysvec slot. */
        EXTINT,
        /** The event-type dispatch itself: EVENT_TYPE_NMI (hand-written in fred_entry_from_*). */
        NMI,
        /** The event-type dispatch itself: EVENT_TYPE_PRIV_SWEXC, INT1 (hand-written). */
        PRIV_SWEXC;

        /** The routes whose per-vector dispatch idtgen generates. */
        public static final Set<Route> GENERATED = Set.of(HWEXC, SWEXC, INTX, SYSVEC);
    }

    public Fred {
        routes = List.copyOf(routes);
    }

    public boolean has(Route r) {
        return routes.contains(r);
    }
}
