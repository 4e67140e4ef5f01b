package io.elanus.standalone;

import com.sun.net.httpserver.HttpServer;
import io.elanus.common.HealthProbe;
import io.elanus.common.NamedThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * Milvus's management health probe: {@code GET :9091/healthz} answers 200 "OK" while every role is
 * Healthy and no fault is active, and 503 naming every reason otherwise (Docker health checks and Testcontainers wait on it).
 */
public final class HealthEndpoint implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HealthEndpoint.class);

    private final HttpServer server;

    private HealthEndpoint(HttpServer server) {
        this.server = server;
    }

    /** Starts the endpoint, or returns null (logged) when the port cannot be bound: the database still serves. */
    public static HealthEndpoint start(int port, HealthProbe health) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(port), 16);
            server.setExecutor(Executors.newSingleThreadExecutor(NamedThreads.daemon("health-http")));
            server.createContext("/healthz", exchange -> {
                List<String> unhealthy = health.unhealthyReasons();
                byte[] body = (unhealthy.isEmpty() ? "OK" : String.join("; ", unhealthy)).getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
                exchange.sendResponseHeaders(unhealthy.isEmpty() ? 200 : 503, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
            return new HealthEndpoint(server);
        } catch (IOException e) {
            LOG.warn("health endpoint not started: cannot listen on port {} ({})", port, e.getMessage());
            return null;
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
