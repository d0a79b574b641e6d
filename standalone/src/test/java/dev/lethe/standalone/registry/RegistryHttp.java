package dev.lethe.standalone.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.apache.avro.Schema;

/** Raw HTTP calls to a registry, for what the production client does not expose (status codes, listings). */
final class RegistryHttp {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A status, a JSON body (text if the answer was not JSON) and the content type. */
    record Response(int status, JsonNode body, String contentType) {
    }

    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    RegistryHttp(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    Response get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET());
    }

    Response post(String path, String body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    Response put(String path, String body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** POSTs {@code {"schema": "<schema>"}}. */
    Response postSchema(String path, Schema schema) throws IOException, InterruptedException {
        return post(path, JSON.createObjectNode().put("schema", schema.toString()).toString());
    }

    private Response send(HttpRequest.Builder request) throws IOException, InterruptedException {
        final HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        final String contentType = response.headers().firstValue("Content-Type").orElse("");
        final JsonNode body = contentType.contains("json")
                ? JSON.readTree(response.body())
                : TextNode.valueOf(response.body());
        return new Response(response.statusCode(), body, contentType);
    }
}
