package io.elanus.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The management probe Docker health checks and Testcontainers use: GET /healthz answers 200 "OK"; HEAD the same
 * without a body; other methods 405 naming the allowed ones; other paths, even ones that start with /healthz, 404.
 */
class HealthEndpointTest extends SharedServerTestBase {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void healthzAnswersOkWhileEveryRoleIsHealthy() throws Exception {
        HttpResponse<String> response = send("GET", "/healthz");
        assertEquals(200, response.statusCode());
        assertEquals("OK", response.body());
    }

    @Test
    void headAnswersLikeGetWithoutABody() throws Exception {
        HttpResponse<String> response = send("HEAD", "/healthz");
        assertEquals(200, response.statusCode());
        assertEquals("", response.body());
        assertEquals("2", response.headers().firstValue("Content-Length").orElse(""));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"POST", "PUT", "DELETE", "PATCH", "OPTIONS"})
    void otherMethodsAreNotAllowed(String method) throws Exception {
        HttpResponse<String> response = send(method, "/healthz");
        assertEquals(405, response.statusCode());
        assertEquals("GET, HEAD", response.headers().firstValue("Allow").orElse(""));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/healthzz", "/healthz/", "/healthz/anything", "/", "/metrics"})
    void otherPathsAreNotFound(String path) throws Exception {
        assertEquals(404, send("GET", path).statusCode());
    }

    private static HttpResponse<String> send(String method, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.healthPort() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }
}
