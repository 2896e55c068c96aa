package dev.idtgen.boot;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The boots of one delivery mechanism: its boot plan (which programs go to
 * which boot, limits, crash boots), the emulator that runs them, what the
 * console of each of its boots must show for the boot to count (FRED boots:
 * that FRED was initialised), and why a vector gets no verdict there.
 */
public record Backend(Delivery delivery, BootPlan plan, Emulator emulator, List<Pattern> evidence,
                      Map<String, String> untestable) {
}
