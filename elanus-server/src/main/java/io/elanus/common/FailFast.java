package io.elanus.common;

/**
 * Ends the process at once on an {@link Error} (OutOfMemoryError above all) that escapes a thread,
 * instead of leaving a server whose consumer threads are dead while it still answers and says it is
 * healthy. The launchers also pass {@code -XX:+ExitOnOutOfMemoryError}; this covers errors the JVM
 * flag does not (those thrown by code, and any Error that kills a thread). Recovery is the WAL replay
 * at the next start.
 */
public final class FailFast {
    /** The status the JVM itself exits with under -XX:+ExitOnOutOfMemoryError. */
    public static final int EXIT_STATUS = 3;

    private FailFast() {
    }

    /** Installs the default uncaught-exception handler: halts on an Error, reports anything else as the JVM would. */
    public static void install() {
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
            if (e instanceof Error error) {
                throw halt("thread " + thread.getName(), error);
            }
            System.err.print("Exception in thread \"" + thread.getName() + "\" ");
            e.printStackTrace(System.err);
        });
    }

    /**
     * Halts the JVM (no shutdown hooks: they could need the memory that ran out). Declared to return
     * the error so callers can write {@code throw FailFast.halt(...)}; it never returns.
     */
    public static Error halt(String where, Error e) {
        try {
            System.err.println("elanus: fatal " + e + " in " + where + "; exiting now (status " + EXIT_STATUS
                    + "); the next start recovers from the WAL");
            System.err.flush();
        } finally {
            Runtime.getRuntime().halt(EXIT_STATUS);
        }
        return e;
    }
}
