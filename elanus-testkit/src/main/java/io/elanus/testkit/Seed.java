package io.elanus.testkit;

import java.util.Random;

/**
 * The random seed of a test run, handed to a test by {@link Seeds}. A test takes all its randomness from it, through
 * {@link #random} or {@link #derive}, so that the same seed replays the same data. The salt keeps a test's separate
 * streams apart (the rows and the queries of one test should not be the same numbers), while every stream still
 * follows the one seed.
 */
public final class Seed {
    private final long value;

    Seed(long value) {
        this.value = value;
    }

    /** The run's seed, as {@code -Delanus.seed} takes it. */
    public long value() {
        return value;
    }

    /** A seed of its own for the stream named {@code salt}, for APIs that take a seed rather than a Random. */
    public long derive(long salt) {
        return mix(value ^ mix(salt + 0x9E3779B97F4A7C15L));
    }

    /** A generator of its own for the stream named {@code salt}. */
    public Random random(long salt) {
        return new Random(derive(salt));
    }

    /** The finaliser of SplitMix64: nearby inputs give unrelated outputs. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
