package io.elanus.testkit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.TestAbortedException;

import java.security.SecureRandom;

/**
 * The random seed of every randomized test: register with {@code @ExtendWith(Seeds.class)} and take a {@link Seed}
 * parameter (in a test, a lifecycle method or a constructor).
 * <ul>
 *   <li>One seed per test run (JVM): {@code -Delanus.seed=N} if given, {@code -Delanus.seed=random} for a fresh one
 *       (to explore), and otherwise a fixed default, so that the gate CI runs is the same on every machine.</li>
 *   <li>A failure of a test or of its set-up names the seed: a line on stderr, and a suppressed exception on the
 *       failure itself, which the test report prints with the stack trace. {@code -Delanus.seed=N} replays it:
 *       {@code mvn ... -Dtest=TheTest -Delanus.seed=N}.</li>
 * </ul>
 */
public final class Seeds implements ParameterResolver, TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler {
    public static final String PROPERTY = "elanus.seed";
    private static final Seed RUN_SEED = new Seed(runSeed(System.getProperty(PROPERTY)));

    /** Used when no seed is given: CI runs one fixed, known-good draw; exploring is asked for with "random". */
    static final long DEFAULT_SEED = 20261203L;

    /** The seed given with {@code -Delanus.seed} ("random": a fresh one), or {@link #DEFAULT_SEED} when none is. */
    static long runSeed(String given) {
        if (given == null || given.isBlank()) {
            return DEFAULT_SEED;
        }
        if (given.trim().equalsIgnoreCase("random")) {
            return new SecureRandom().nextLong();
        }
        try {
            return Long.parseLong(given.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + PROPERTY + " must be a whole number (a seed a failure printed) or random, not \"" + given + "\"");
        }
    }

    /** The run's seed, for code that is not handed one (a static data source of a parameterized test). */
    public static Seed current() {
        return RUN_SEED;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Seed.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return RUN_SEED;
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        throw withSeed(context, failure);
    }

    @Override
    public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        throw withSeed(context, failure);
    }

    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        throw withSeed(context, failure);
    }

    @Override
    public void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        throw withSeed(context, failure);
    }

    @Override
    public void handleAfterAllMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        throw withSeed(context, failure);
    }

    /** The failure, unchanged but for a note naming the seed; a skipped test (a failed assumption) is not a failure. */
    private static Throwable withSeed(ExtensionContext context, Throwable failure) {
        if (!(failure instanceof TestAbortedException)) {
            String replay = replayNote(context);
            System.err.println(replay);
            failure.addSuppressed(new SeedNote(replay));
        }
        return failure;
    }

    private static String replayNote(ExtensionContext context) {
        String test = context.getTestClass().map(Class::getSimpleName).orElse(context.getDisplayName())
                + context.getTestMethod().map(m -> "#" + m.getName()).orElse("");
        return test + " failed with random seed " + RUN_SEED + "; replay with -D" + PROPERTY + "=" + RUN_SEED;
    }

    /** Carries the replay line into the failure's report; it has no stack of its own. */
    static final class SeedNote extends RuntimeException {
        SeedNote(String message) {
            super(message, null, false, false);
        }
    }
}
