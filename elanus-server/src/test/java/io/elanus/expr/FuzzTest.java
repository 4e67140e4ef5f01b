package io.elanus.expr;

import io.elanus.common.MilvusException;
import io.elanus.segment.Chunk;
import io.elanus.testkit.Seed;
import io.elanus.testkit.Seeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Random byte strings and mutated valid expressions: the compiler either returns a plan that
 * evaluates without throwing, or throws a MilvusException; nothing else ever escapes.
 */
@ExtendWith(Seeds.class)
class FuzzTest {
    private static final String ALPHABET = "age name meta[\"a\"] tags nums () [] {} , . 0x 0b 1.5e3 \"'\\ == != < <= > >= "
            + "+ - * / % ** and or not && || ! in like exists is null true json_contains array_length $meta random_sample";

    @Test
    void randomBytesNeverCrash(Seed seed) {
        Random r = seed.random(1);
        Chunk chunk = Dataset.chunk();
        for (int i = 0; i < 3000; i++) {
            byte[] bytes = new byte[r.nextInt(40)];
            r.nextBytes(bytes);
            check(new String(bytes, StandardCharsets.UTF_8), chunk);
        }
    }

    @Test
    void tokenSoupNeverCrashes(Seed seed) {
        Random r = seed.random(2);
        Chunk chunk = Dataset.chunk();
        String[] tokens = ALPHABET.split(" ");
        for (int i = 0; i < 3000; i++) {
            StringBuilder sb = new StringBuilder();
            int n = 1 + r.nextInt(12);
            for (int j = 0; j < n; j++) {
                sb.append(tokens[r.nextInt(tokens.length)]).append(r.nextBoolean() ? " " : "");
            }
            check(sb.toString(), chunk);
        }
    }

    @Test
    void mutatedExpressionsNeverCrash(Seed seed) {
        Random r = seed.random(3);
        Chunk chunk = Dataset.chunk();
        List<ExpressionTableTest.Case> cases = ExpressionTableTest.cases();
        for (int i = 0; i < 5000; i++) {
            StringBuilder sb = new StringBuilder(cases.get(r.nextInt(cases.size())).expr());
            int edits = 1 + r.nextInt(3);
            for (int e = 0; e < edits && !sb.isEmpty(); e++) {
                int at = r.nextInt(sb.length());
                switch (r.nextInt(3)) {
                    case 0 -> sb.deleteCharAt(at);
                    case 1 -> sb.insert(at, ALPHABET.charAt(r.nextInt(ALPHABET.length())));
                    default -> sb.setCharAt(at, ALPHABET.charAt(r.nextInt(ALPHABET.length())));
                }
            }
            check(sb.toString(), chunk);
        }
    }

    @Test
    void deepNestingIsAnError() {
        for (String deep : List.of("(".repeat(20000) + "age > 1" + ")".repeat(20000), "not ".repeat(20000) + "age > 1",
                "age in " + "[".repeat(20000))) {
            MilvusException e = assertThrows(MilvusException.class, () -> FilterCompiler.compile(deep, Dataset.SCHEMA, Map.of()));
            assertTrue(e.getMessage().contains("nested too deeply"), e.getMessage());
        }
        assertEquals(List.of(0, 10), FilterCompiler.compile("(".repeat(200) + "age < 15 or score < -2" + ")".repeat(200),
                Dataset.SCHEMA, Map.of()).evaluate(Dataset.chunk()).stream().boxed().toList());
    }

    private static void check(String expr, Chunk chunk) {
        FilterPlan plan;
        try {
            plan = FilterCompiler.compile(expr, Dataset.SCHEMA, Map.of());
        } catch (MilvusException expected) {
            assertTrue(expected.getMessage().startsWith("cannot parse expression"), expected.getMessage());
            return;
        } catch (Throwable t) {
            fail("compile of <" + expr + "> threw " + t, t);
            return;
        }
        try {
            plan.evaluate(chunk);
        } catch (Throwable t) {
            fail("evaluation of <" + expr + "> threw " + t, t);
        }
    }
}
