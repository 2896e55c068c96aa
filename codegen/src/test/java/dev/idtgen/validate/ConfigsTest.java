package dev.idtgen.validate;

import dev.idtgen.load.ConditionParser;
import dev.idtgen.model.Arch;
import dev.idtgen.model.Condition;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigsTest {

    private static final Arch X64 = Arch.X86_64;
    private static final Arch X32 = Arch.I386;

    private static final Configs NO_FACTS = new Configs(Map.of());

    private static Condition c(String text) {
        try {
            return ConditionParser.parse(text);
        } catch (ConditionParser.SyntaxError e) {
            throw new AssertionError(text + ": " + e.getMessage(), e);
        }
    }

    private static Configs facts(String... symbolThenCondition) {
        Map<String, Condition> f = new java.util.LinkedHashMap<>();
        for (int i = 0; i < symbolThenCondition.length; i += 2) {
            f.put(symbolThenCondition[i], c(symbolThenCondition[i + 1]));
        }
        return new Configs(f);
    }

    @Test
    void impliesWithoutFacts() {
        assertTrue(NO_FACTS.implies(X64, c("CONFIG_A && CONFIG_B"), c("CONFIG_A")));
        assertFalse(NO_FACTS.implies(X64, c("CONFIG_A"), c("CONFIG_A && CONFIG_B")));
        assertTrue(NO_FACTS.implies(X64, c("CONFIG_A"), c("CONFIG_A || CONFIG_B")));
        assertTrue(NO_FACTS.implies(X64, Condition.ALWAYS, c("CONFIG_A || !CONFIG_A")));
        assertFalse(NO_FACTS.implies(X64, Condition.ALWAYS, c("CONFIG_A")));
        // everything follows from what cannot hold
        assertTrue(NO_FACTS.implies(X64, c("CONFIG_A && !CONFIG_A"), c("CONFIG_B")));
    }

    @Test
    void definedIsBuiltInIsEnabledIsBuiltInOrModule() {
        assertTrue(NO_FACTS.implies(X64, c("defined(CONFIG_A)"), c("IS_ENABLED(CONFIG_A)")));
        assertFalse(NO_FACTS.implies(X64, c("IS_ENABLED(CONFIG_A)"), c("defined(CONFIG_A)")));
        assertEquals("x86_64 with CONFIG_A=m",
                NO_FACTS.counterexample(X64, c("IS_ENABLED(CONFIG_A)"), c("CONFIG_A")));
        // a module is enabled but not defined: both can hold at once
        assertTrue(NO_FACTS.overlap(X64, c("IS_ENABLED(CONFIG_A)"), c("!CONFIG_A")));
        assertFalse(NO_FACTS.overlap(X64, c("CONFIG_A"), c("!IS_ENABLED(CONFIG_A)")));
    }

    @Test
    void overlap() {
        assertFalse(NO_FACTS.overlap(X64, c("CONFIG_A"), c("!CONFIG_A")));
        assertTrue(NO_FACTS.overlap(X64, c("CONFIG_A"), c("CONFIG_B")));
        assertFalse(NO_FACTS.overlap(X64, c("CONFIG_A && CONFIG_B"), c("!CONFIG_A || !CONFIG_B")));
        assertTrue(NO_FACTS.overlap(X64, c("CONFIG_A || CONFIG_B"), c("!CONFIG_A")));
        assertTrue(NO_FACTS.overlap(X32, Condition.ALWAYS, Condition.ALWAYS));
    }

    @Test
    void architectureSymbolIsFixed() {
        assertTrue(NO_FACTS.satisfiable(X64, c("CONFIG_X86_64")));
        assertFalse(NO_FACTS.satisfiable(X64, c("CONFIG_X86_32")));
        assertTrue(NO_FACTS.satisfiable(X32, c("CONFIG_X86_32")));
        assertFalse(NO_FACTS.satisfiable(X32, c("CONFIG_X86_64")));
        assertTrue(NO_FACTS.implies(X64, Condition.ALWAYS, c("CONFIG_X86_64")));
        assertTrue(NO_FACTS.implies(X32, Condition.ALWAYS, c("!CONFIG_X86_64")));
        assertFalse(NO_FACTS.overlap(X32, c("CONFIG_X86_64 && CONFIG_A"), c("CONFIG_A")));
    }

    @Test
    void kconfigFactRulesOutIa32EmulationOnI386() {
        Configs withFact = facts("CONFIG_IA32_EMULATION", "CONFIG_X86_64");
        Condition ia32 = c("CONFIG_IA32_EMULATION");
        // without the fact the validator must assume it can be set anywhere
        assertTrue(NO_FACTS.satisfiable(X32, ia32));
        assertTrue(NO_FACTS.satisfiable(X32, c("IS_ENABLED(CONFIG_IA32_EMULATION)")));
        // with it, not on i386 (neither y nor m), still on x86_64
        assertFalse(withFact.satisfiable(X32, ia32));
        assertFalse(withFact.satisfiable(X32, c("IS_ENABLED(CONFIG_IA32_EMULATION)")));
        assertTrue(withFact.satisfiable(X64, ia32));
        assertTrue(withFact.implies(X32, ia32, c("CONFIG_FOO")));
        assertFalse(withFact.overlap(X32, ia32, Condition.ALWAYS));
    }

    @Test
    void factsAreClosedTransitively() {
        Configs chain = facts("CONFIG_A", "CONFIG_B", "CONFIG_B", "CONFIG_C && CONFIG_D");
        assertTrue(chain.implies(X64, c("CONFIG_A"), c("CONFIG_D")));
        assertFalse(NO_FACTS.implies(X64, c("CONFIG_A"), c("CONFIG_D")));
        assertFalse(chain.overlap(X64, c("CONFIG_A"), c("!CONFIG_C")));
        // the fact restricts only its own symbol: B without A is fine
        assertTrue(chain.satisfiable(X64, c("CONFIG_B && !CONFIG_A")));
        assertFalse(chain.satisfiable(X64, c("CONFIG_A && !CONFIG_C")));
    }

    @Test
    void realTableFacts() {
        Configs real = facts(
                "CONFIG_X86_MCE_AMD", "CONFIG_X86_MCE && CONFIG_X86_LOCAL_APIC",
                "CONFIG_X86_THERMAL_VECTOR", "CONFIG_X86_LOCAL_APIC",
                "CONFIG_XEN_PV", "CONFIG_X86_64 && CONFIG_X86_LOCAL_APIC");
        assertTrue(real.implies(X64, c("CONFIG_X86_THERMAL_VECTOR"),
                c("CONFIG_X86_LOCAL_APIC && CONFIG_X86_THERMAL_VECTOR")));
        assertTrue(real.implies(X64, c("CONFIG_X86_MCE_AMD"), c("CONFIG_X86_LOCAL_APIC")));
        assertFalse(real.satisfiable(X32, c("CONFIG_XEN_PV")));
        assertTrue(real.satisfiable(X64, c("CONFIG_XEN_PV")));
    }

    @Test
    void counterexamples() {
        assertEquals("x86_64 with CONFIG_A=y, CONFIG_B=n",
                NO_FACTS.counterexample(X64, c("CONFIG_A"), c("CONFIG_B")));
        assertEquals("i386 with CONFIG_X86_KERNEL_IBT=n",
                NO_FACTS.counterexample(X32, Condition.ALWAYS, c("CONFIG_X86_KERNEL_IBT")));
        // a question without symbols: only the architecture
        assertEquals("x86_64", NO_FACTS.counterexample(X64, Condition.ALWAYS, c("CONFIG_X86_32")));
        // the counterexample respects the facts: A=y needs B=y
        Configs f = facts("CONFIG_A", "CONFIG_B");
        assertEquals("x86_64 with CONFIG_A=y, CONFIG_B=y, CONFIG_C=n",
                f.counterexample(X64, c("CONFIG_A"), c("CONFIG_C")));
    }

    @Test
    void tooManySymbolsIsAnExceptionTheValidatorReports() {
        StringBuilder b = new StringBuilder("CONFIG_S0");
        for (int i = 1; i < 13; i++) {
            b.append(" && CONFIG_S").append(i);
        }
        Condition big = c(b.toString());
        Configs.TooManySymbols e = assertThrows(Configs.TooManySymbols.class,
                () -> NO_FACTS.satisfiable(X64, big));
        assertTrue(e.getMessage().contains("13 Kconfig symbols"), e.getMessage());
        // twelve are fine
        Condition twelve = c(b.substring(0, b.lastIndexOf(" &&")));
        assertTrue(NO_FACTS.satisfiable(X64, twelve));
    }
}
