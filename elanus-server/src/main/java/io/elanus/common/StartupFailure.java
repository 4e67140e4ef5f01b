package io.elanus.common;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;

/**
 * How the launchers report a server that could not start: one line on stderr naming the cause, and
 * a non-zero exit code; the stack trace goes to the log at DEBUG only (ELANUS_LOG_LEVEL=DEBUG shows it).
 */
public final class StartupFailure {
    /** Exit code of a start-up failure (bad configuration exits with 2, as picocli does for bad usage). */
    public static final int EXIT_CODE = 1;
    private static final Logger LOG = LoggerFactory.getLogger(StartupFailure.class);

    private StartupFailure() {
    }

    /** Prints {@code elanus: cannot start <what>: <cause>} and returns the exit code. */
    public static int report(String what, Throwable failure, PrintStream err) {
        LOG.debug("start-up of {} failed", what, failure);
        err.println("elanus: cannot start " + what + ": " + describe(failure));
        err.flush();
        return EXIT_CODE;
    }

    /** The failure's message, followed by its root cause's when that adds something (e.g. the OS error behind an I/O failure). */
    public static String describe(Throwable failure) {
        if (failure instanceof StartupException) {
            return failure.getMessage();
        }
        String top = messageOf(failure);
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String rootMessage = messageOf(root);
        return root == failure || top.contains(rootMessage) ? top : top + ": " + rootMessage;
    }

    private static String messageOf(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }
}
