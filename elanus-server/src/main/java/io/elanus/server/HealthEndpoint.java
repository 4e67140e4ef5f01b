package io.elanus.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.elanus.common.HealthProbe;
import io.elanus.common.NamedThreads;
import io.elanus.common.StartupException;

import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * Milvus's management health probe: {@code GET :9091/healthz} answers 200 "OK" while every role is
 * Healthy and no fault is active, and 503 naming every reason otherwise (Docker health checks and Testcontainers wait on it).
 * Only the exact path answers, to GET and HEAD (HEAD without a body); other methods get 405 with an
 * {@code Allow} header and other paths 404.
 */
public final class HealthEndpoint implements AutoCloseable {
    static final String PATH = "/healthz";
    private static final String ALLOWED = "GET, HEAD";

    private final HttpServer server;

    private HealthEndpoint(HttpServer server) {
        this.server = server;
    }

    /**
     * Starts the endpoint.
     *
     * @throws StartupException when the port cannot be bound: a server that says ready must also answer its probe
     */
    public static HealthEndpoint start(int port, HealthProbe health) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(port), 16);
        } catch (BindException e) {
            throw new StartupException("cannot serve /healthz on port " + port + ": address already in use"
                    + " (another server running? choose another with --metrics-port or metrics.port, 0 disables it)", e);
        } catch (IOException e) {
            throw new StartupException("cannot serve /healthz on port " + port + ": " + e.getMessage(), e);
        }
        server.setExecutor(Executors.newSingleThreadExecutor(NamedThreads.daemon("health-http")));
        // The context "/" receives every path, so that paths merely starting with /healthz get 404 too.
        server.createContext("/", exchange -> {
            try (exchange) {
                answer(exchange, health);
            }
        });
        server.start();
        return new HealthEndpoint(server);
    }

    private static void answer(HttpExchange exchange, HealthProbe health) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        String method = exchange.getRequestMethod();
        boolean head = "HEAD".equals(method);
        if (!PATH.equals(exchange.getRequestURI().getRawPath())) {
            send(exchange, 404, "not found", !head);
            return;
        }
        if (!head && !"GET".equals(method)) {
            exchange.getResponseHeaders().set("Allow", ALLOWED);
            send(exchange, 405, "method not allowed", true);
            return;
        }
        List<String> unhealthy = health.unhealthyReasons();
        send(exchange, unhealthy.isEmpty() ? 200 : 503, unhealthy.isEmpty() ? "OK" : String.join("; ", unhealthy), !head);
    }

    private static void send(HttpExchange exchange, int status, String text, boolean withBody) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        if (!withBody) {
            // HEAD: the headers a GET would carry, no body (-1 tells the server there is none).
            exchange.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
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
