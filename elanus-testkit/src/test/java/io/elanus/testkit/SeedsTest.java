package io.elanus.testkit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/** Runs fixture test classes (nested, so the build does not run them by themselves) and looks at their failures. */
class SeedsTest {
    private static final String REPLAY = "replay with -Delanus.seed=" + Seeds.current().value();

    @Test
    void aFailingTestNamesTheSeedThatReplaysIt() {
        List<Throwable> failures = run(FailingTest.class);
        assertEquals(1, failures.size());
        Throwable failure = failures.getFirst();
        assertEquals("expected failure", failure.getMessage(), "the failure itself is unchanged");
        assertEquals(List.of("FailingTest#fails failed with random seed " + Seeds.current().value() + "; " + REPLAY),
                Arrays.stream(failure.getSuppressed()).map(Throwable::getMessage).toList());
    }

    @Test
    void aFailingSetUpNamesTheSeedToo() {
        List<Throwable> failures = run(FailingSetUpTest.class);
        assertEquals(1, failures.size());
        assertTrue(Arrays.stream(failures.getFirst().getSuppressed()).anyMatch(s -> s.getMessage().endsWith(REPLAY)));
    }

    @Test
    void aSkippedTestIsNoFailure() {
        assertEquals(List.of(), run(SkippedTest.class));
    }

    @Test
    void theSameSeedGivesTheSameStreamsAndSaltsKeepThemApart() {
        Seed a = new Seed(42);
        Seed b = new Seed(42);
        assertEquals(a.random(1).nextLong(), b.random(1).nextLong());
        assertEquals(a.derive(7), b.derive(7));
        assertNotEquals(a.derive(1), a.derive(2));
        assertNotEquals(a.derive(1), new Seed(43).derive(1));
    }

    @Test
    void aGivenSeedIsTakenAsItIsNoneGivenIsTheDefaultAndRandomIsFresh() {
        assertEquals(-1234567890123L, Seeds.runSeed("-1234567890123"));
        assertEquals(5, Seeds.runSeed(" 5 "));
        assertEquals(Seeds.DEFAULT_SEED, Seeds.runSeed(null));
        assertEquals(Seeds.DEFAULT_SEED, Seeds.runSeed(""));
        assertNotEquals(Seeds.runSeed("random"), Seeds.runSeed("RANDOM"), "two fresh seeds (equal once in 2^64 runs)");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Seeds.runSeed("many"));
        assertEquals("-Delanus.seed must be a whole number (a seed a failure printed) or random, not \"many\"", e.getMessage());
    }

    private static List<Throwable> run(Class<?> fixture) {
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(fixture)).build(), listener);
        return listener.getSummary().getFailures().stream().map(TestExecutionSummary.Failure::getException).toList();
    }

    @ExtendWith(Seeds.class)
    static class FailingTest {
        @Test
        void fails(Seed seed) {
            seed.random(1).nextInt();
            fail("expected failure");
        }
    }

    @ExtendWith(Seeds.class)
    static class FailingSetUpTest {
        @BeforeAll
        static void setUp(Seed seed) {
            throw new IllegalStateException("set-up failed with " + seed);
        }

        @Test
        void neverRuns() {
        }
    }

    @ExtendWith(Seeds.class)
    static class SkippedTest {
        @Test
        void skipped(Seed seed) {
            Assumptions.assumeTrue(false, "not here");
        }
    }
}
