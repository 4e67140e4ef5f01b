package io.elanus.it;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts one Elanus server per test JVM, shared by every test class that uses this extension, and stops it
 * when the whole run ends (the root store closes it). Starting a JVM per class would cost more than most tests.
 */
public final class SharedServerExtension implements BeforeAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedServerExtension.class);
    private static volatile ElanusServerProcess server;

    @Override
    public void beforeAll(ExtensionContext context) {
        server = context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent("server", key -> new RunningServer(ElanusServerProcess.start()), RunningServer.class)
                .process();
    }

    /** The shared server; valid from the test class's {@code @BeforeAll} methods on. */
    public static ElanusServerProcess server() {
        return server;
    }

    private record RunningServer(ElanusServerProcess process) implements AutoCloseable {
        @Override
        public void close() {
            process.close();
        }
    }
}
