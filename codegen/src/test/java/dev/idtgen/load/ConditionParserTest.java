package dev.idtgen.load;

import dev.idtgen.model.Condition;
import dev.idtgen.model.Condition.And;
import dev.idtgen.model.Condition.Defined;
import dev.idtgen.model.Condition.Enabled;
import dev.idtgen.model.Condition.Not;
import dev.idtgen.model.Condition.Or;
import dev.idtgen.model.Condition.Tristate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConditionParserTest {

    private static final Defined A = new Defined("CONFIG_A");
    private static final Defined B = new Defined("CONFIG_B");
    private static final Defined C = new Defined("CONFIG_C");

    private static Condition parse(String text) {
        try {
            return ConditionParser.parse(text);
        } catch (ConditionParser.SyntaxError e) {
            throw new AssertionError("'" + text + "': " + e.getMessage() + " at " + e.offset(), e);
        }
    }

    @Test
    void symbols() {
        assertEquals(A, parse("CONFIG_A"));
        assertEquals(A, parse("defined(CONFIG_A)"));
        assertEquals(A, parse("  defined ( CONFIG_A )  "));
        assertEquals(new Enabled("CONFIG_A"), parse("IS_ENABLED(CONFIG_A)"));
        assertEquals(new Defined("CONFIG_X86_64"), parse("CONFIG_X86_64"));
        assertEquals(new Defined("CONFIG_lower_9"), parse("CONFIG_lower_9"));
        assertEquals(A, parse("((CONFIG_A))"));
    }

    @Test
    void andBindsTighterThanOr() {
        assertEquals(new Or(A, new And(B, C)), parse("CONFIG_A || CONFIG_B && CONFIG_C"));
        assertEquals(new Or(new And(A, B), C), parse("CONFIG_A && CONFIG_B || CONFIG_C"));
        assertEquals(new And(new Or(A, B), C), parse("(CONFIG_A || CONFIG_B) && CONFIG_C"));
    }

    @Test
    void operatorsAreLeftAssociative() {
        assertEquals(new And(new And(A, B), C), parse("CONFIG_A && CONFIG_B && CONFIG_C"));
        assertEquals(new Or(new Or(A, B), C), parse("CONFIG_A||CONFIG_B||CONFIG_C"));
    }

    @Test
    void notBindsTightest() {
        assertEquals(new And(new Not(A), B), parse("!CONFIG_A && CONFIG_B"));
        assertEquals(new Not(new And(A, B)), parse("!(CONFIG_A && CONFIG_B)"));
        assertEquals(new Not(new Not(A)), parse("!!CONFIG_A"));
        assertEquals(new Not(new Enabled("CONFIG_A")), parse("! IS_ENABLED(CONFIG_A)"));
        assertEquals(new Or(new Not(A), new And(B, new Not(C))), parse("!CONFIG_A || CONFIG_B && !defined(CONFIG_C)"));
    }

    @Test
    void isEnabledAndDefinedDifferForModules() {
        Map<String, Tristate> module = Map.of("CONFIG_A", Tristate.M);
        Map<String, Tristate> builtin = Map.of("CONFIG_A", Tristate.Y);
        Map<String, Tristate> off = Map.of();
        assertFalse(parse("CONFIG_A").eval(module));
        assertFalse(parse("defined(CONFIG_A)").eval(module));
        assertTrue(parse("IS_ENABLED(CONFIG_A)").eval(module));
        assertTrue(parse("CONFIG_A").eval(builtin));
        assertTrue(parse("IS_ENABLED(CONFIG_A)").eval(builtin));
        assertFalse(parse("IS_ENABLED(CONFIG_A)").eval(off));
        assertTrue(parse("!CONFIG_A").eval(module));
        assertEquals(Set.of("CONFIG_A", "CONFIG_B"), parse("IS_ENABLED(CONFIG_A) || !CONFIG_B && CONFIG_A").symbols());
    }

    static Stream<Arguments> canonical() {
        return Stream.of(
                // text, toC(), toYaml()
                Arguments.of("CONFIG_A", "defined(CONFIG_A)", "CONFIG_A"),
                Arguments.of("defined( CONFIG_A )", "defined(CONFIG_A)", "CONFIG_A"),
                Arguments.of("IS_ENABLED(CONFIG_A)", "IS_ENABLED(CONFIG_A)", "IS_ENABLED(CONFIG_A)"),
                Arguments.of("CONFIG_A&&CONFIG_B", "defined(CONFIG_A) && defined(CONFIG_B)", "CONFIG_A && CONFIG_B"),
                Arguments.of("CONFIG_A || CONFIG_B && CONFIG_C",
                        "defined(CONFIG_A) || defined(CONFIG_B) && defined(CONFIG_C)",
                        "CONFIG_A || CONFIG_B && CONFIG_C"),
                Arguments.of("CONFIG_A || (CONFIG_B && CONFIG_C)",
                        "defined(CONFIG_A) || defined(CONFIG_B) && defined(CONFIG_C)",
                        "CONFIG_A || CONFIG_B && CONFIG_C"),
                Arguments.of("(CONFIG_A || CONFIG_B) && CONFIG_C",
                        "(defined(CONFIG_A) || defined(CONFIG_B)) && defined(CONFIG_C)",
                        "(CONFIG_A || CONFIG_B) && CONFIG_C"),
                Arguments.of("!(CONFIG_A)", "!defined(CONFIG_A)", "!CONFIG_A"),
                Arguments.of("!(CONFIG_A || IS_ENABLED(CONFIG_B))",
                        "!(defined(CONFIG_A) || IS_ENABLED(CONFIG_B))", "!(CONFIG_A || IS_ENABLED(CONFIG_B))"),
                Arguments.of("!(!CONFIG_A)", "!!defined(CONFIG_A)", "!!CONFIG_A"),
                Arguments.of("((CONFIG_A && CONFIG_B)) && CONFIG_C",
                        "defined(CONFIG_A) && defined(CONFIG_B) && defined(CONFIG_C)",
                        "CONFIG_A && CONFIG_B && CONFIG_C"),
                Arguments.of("CONFIG_A && (CONFIG_B || CONFIG_C) || !CONFIG_A",
                        "defined(CONFIG_A) && (defined(CONFIG_B) || defined(CONFIG_C)) || !defined(CONFIG_A)",
                        "CONFIG_A && (CONFIG_B || CONFIG_C) || !CONFIG_A"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("canonical")
    void canonicalText(String text, String c, String yaml) {
        Condition parsed = parse(text);
        assertEquals(c, parsed.toC());
        assertEquals(yaml, parsed.toYaml());
        // the canonical texts read back as the same condition, and are fixed points
        assertSameMeaning(parsed, parse(c));
        assertSameMeaning(parsed, parse(yaml));
        assertEquals(yaml, parse(yaml).toYaml());
        assertEquals(c, parse(c).toC());
    }

    /** Same value in every configuration of the symbols the two read. */
    private static void assertSameMeaning(Condition x, Condition y) {
        List<String> syms = new ArrayList<>(x.symbols());
        y.symbols().forEach(s -> {
            if (!syms.contains(s)) {
                syms.add(s);
            }
        });
        int total = (int) Math.pow(3, syms.size());
        for (int code = 0; code < total; code++) {
            Map<String, Tristate> cfg = new HashMap<>();
            int k = code;
            for (String s : syms) {
                cfg.put(s, Tristate.values()[k % 3]);
                k /= 3;
            }
            assertEquals(x.eval(cfg), y.eval(cfg), x.toC() + " vs " + y.toC() + " on " + cfg);
        }
    }

    @Test
    void alwaysAndIfdef() {
        assertEquals("", Condition.ALWAYS.toYaml());
        assertEquals("1", Condition.ALWAYS.toC());
        assertTrue(Condition.ALWAYS.isAlways());
        assertEquals("CONFIG_A", parse("defined(CONFIG_A)").ifdefSymbol());
        assertNull(parse("IS_ENABLED(CONFIG_A)").ifdefSymbol());
        assertNull(parse("!CONFIG_A").ifdefSymbol());
        assertEquals(A, Condition.and(Condition.ALWAYS, A));
        assertEquals(A, Condition.and(A, Condition.ALWAYS));
        assertEquals(new And(A, B), Condition.and(A, B));
    }

    static Stream<Arguments> errors() {
        return Stream.of(
                // text, offset, part of the message
                Arguments.of("", 0, "empty condition"),
                Arguments.of("   ", 0, "empty condition"),
                Arguments.of("defined(FOO)", 8, "'FOO' is not a Kconfig symbol"),
                Arguments.of("FOO", 0, "'FOO' is not a Kconfig symbol"),
                Arguments.of("CONFIG_", 0, "'CONFIG_' is not a Kconfig symbol"),
                Arguments.of("config_a", 0, "'config_a' is not a Kconfig symbol"),
                Arguments.of("IS_BUILTIN(CONFIG_A)", 0, "'IS_BUILTIN' is not a Kconfig symbol"),
                Arguments.of("1", 0, "unexpected character '1'"),
                Arguments.of("0 || CONFIG_A", 0, "unexpected character '0'"),
                Arguments.of("CONFIG_A + 1", 9, "unexpected character '+'"),
                Arguments.of("CONFIG_A == 1", 9, "unexpected character '='"),
                Arguments.of("CONFIG_A & CONFIG_B", 9, "unexpected character '&'"),
                Arguments.of("CONFIG_A | CONFIG_B", 9, "unexpected character '|'"),
                Arguments.of("CONFIG_A; rm -rf /", 8, "unexpected character ';'"),
                Arguments.of("CONFIG_A#include", 8, "unexpected character '#'"),
                Arguments.of("CONFIG_A \"x\"", 9, "unexpected character '\"'"),
                Arguments.of("defined(CONFIG_A) /* */", 18, "unexpected character '/'"),
                Arguments.of("CONFIG_A\n.byte 0", 9, "unexpected character '.'"),
                Arguments.of("CONFIG_A CONFIG_B", 9, "unexpected 'CONFIG_B'"),
                Arguments.of("CONFIG_A)", 8, "unexpected ')'"),
                Arguments.of("CONFIG_A &&", 11, "condition ends too early"),
                Arguments.of("CONFIG_A || !", 13, "condition ends too early"),
                Arguments.of("&& CONFIG_A", 0, "'&&' is not a Kconfig symbol"),
                Arguments.of("(CONFIG_A", 9, "expected ')' at end"),
                Arguments.of("(CONFIG_A || CONFIG_B", 21, "expected ')' at end"),
                Arguments.of("defined CONFIG_A", 8, "expected '(' before 'CONFIG_A'"),
                Arguments.of("defined", 7, "expected '(' at end"),
                Arguments.of("IS_ENABLED(CONFIG_A", 19, "expected ')' at end"),
                Arguments.of("IS_ENABLED(CONFIG_A CONFIG_B)", 20, "expected ')' before 'CONFIG_B'"),
                Arguments.of("defined(defined(CONFIG_A))", 8, "'defined' is not a Kconfig symbol"),
                Arguments.of("defined()", 8, "')' is not a Kconfig symbol"),
                Arguments.of("()", 1, "')' is not a Kconfig symbol"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("errors")
    void errorsNameTheirOffset(String text, int offset, String message) {
        ConditionParser.SyntaxError e = assertThrows(ConditionParser.SyntaxError.class,
                () -> ConditionParser.parse(text));
        assertEquals(offset, e.offset(), "offset of: " + e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void nestingAndLengthAreBounded() {
        int max = ConditionParser.MAX_DEPTH;
        String ok = "(".repeat(max) + "CONFIG_A" + ")".repeat(max);
        assertEquals(A, parse(ok));
        Condition nots50 = parse("!".repeat(max) + "CONFIG_A");
        assertTrue(nots50.eval(Map.of("CONFIG_A", Tristate.Y)), "an even number of '!' is the symbol itself");
        assertEquals("!".repeat(max) + "defined(CONFIG_A)", nots50.toC());
        ConditionParser.SyntaxError parens = assertThrows(ConditionParser.SyntaxError.class,
                () -> ConditionParser.parse("(".repeat(100_000) + "CONFIG_A" + ")".repeat(100_000)));
        assertEquals(max, parens.offset());
        assertTrue(parens.getMessage().contains("nests too deeply"), parens.getMessage());
        ConditionParser.SyntaxError nots = assertThrows(ConditionParser.SyntaxError.class,
                () -> ConditionParser.parse(" " + "!".repeat(100_000) + "CONFIG_A"));
        assertEquals(max + 1, nots.offset());
        // a mix: the limit counts '!' and parentheses together
        assertThrows(ConditionParser.SyntaxError.class,
                () -> ConditionParser.parse("!(".repeat(max / 2 + 1) + "CONFIG_A" + ")".repeat(max / 2 + 1)));

        int ops = ConditionParser.MAX_OPERATORS;
        String chain = "CONFIG_A" + " && CONFIG_B".repeat(ops);
        assertEquals(Set.of("CONFIG_A", "CONFIG_B"), parse(chain).symbols());
        ConditionParser.SyntaxError longer = assertThrows(ConditionParser.SyntaxError.class,
                () -> ConditionParser.parse(chain + " || CONFIG_C".repeat(100_000)));
        assertEquals(chain.length() + 1, longer.offset());
        assertTrue(longer.getMessage().contains("too many operators"), longer.getMessage());
    }

    @Test
    void onlyConfigSymbolsAreAccepted() {
        for (String bad : List.of("defined(FOO)", "1", "CONFIG_A + 1", "X86_64", "IS_ENABLED(FOO)",
                "defined(CONFIG_A) && BAR", "__KERNEL__", "CONFIG_A && 0", "!FOO")) {
            assertThrows(ConditionParser.SyntaxError.class, () -> ConditionParser.parse(bad), bad);
        }
    }
}
