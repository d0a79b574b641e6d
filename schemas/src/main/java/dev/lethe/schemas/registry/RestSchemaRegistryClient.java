package dev.lethe.schemas.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * A client of any Confluent-compatible schema registry over its REST API
 * ({@code POST /subjects/{subject}/versions}, {@code GET /schemas/ids/{id}},
 * {@code GET/PUT /config/{subject}}), caching schemas and ids both ways so that a running serde
 * calls the registry once per schema.
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {

    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI baseUri;
    private final HttpClient http;
    private final Map<String, Integer> idsBySubjectAndSchema = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();

    public RestSchemaRegistryClient(String baseUrl) {
        final String trimmed = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.baseUri = URI.create(trimmed);
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @Override
    public int register(String subject, Schema schema) {
        final String cacheKey = subject + '\u0000' + schema;
        final Integer cached = idsBySubjectAndSchema.get(cacheKey);
        if (cached != null) {
            return cached;
        }
        final ObjectNode body = JSON.createObjectNode().put("schema", schema.toString());
        final JsonNode answer = call(HttpRequest.newBuilder(uri("/subjects/" + encode(subject) + "/versions"))
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
        final int id = answer.path("id").asInt(-1);
        if (id < 0) {
            throw new SchemaRegistryException("registry answered without an id for subject " + subject, 500);
        }
        idsBySubjectAndSchema.put(cacheKey, id);
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    @Override
    public Schema schemaById(int id) {
        return schemasById.computeIfAbsent(id, missing -> {
            final JsonNode answer = call(HttpRequest.newBuilder(uri("/schemas/ids/" + missing)).GET());
            return new Schema.Parser().parse(answer.path("schema").asText());
        });
    }

    @Override
    public Optional<Compatibility> compatibility(String subject) {
        final JsonNode answer;
        try {
            answer = call(HttpRequest.newBuilder(uri("/config/" + encode(subject))).GET());
        } catch (SchemaRegistryException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
        final String level = answer.path("compatibilityLevel").asText(answer.path("compatibility").asText(""));
        try {
            return Optional.of(Compatibility.valueOf(level));
        } catch (IllegalArgumentException e) {
            throw new SchemaRegistryException("schema registry answered an unknown compatibility level '" + level
                    + "' for subject " + subject, 500);
        }
    }

    @Override
    public void setCompatibility(String subject, Compatibility level) {
        final ObjectNode body = JSON.createObjectNode().put("compatibility", level.name());
        call(HttpRequest.newBuilder(uri("/config/" + encode(subject)))
                .PUT(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    private JsonNode call(HttpRequest.Builder request) {
        final HttpRequest built = request.header("Content-Type", CONTENT_TYPE)
                .header("Accept", CONTENT_TYPE)
                .timeout(Duration.ofSeconds(10))
                .build();
        try {
            final HttpResponse<String> response = http.send(built, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new SchemaRegistryException("schema registry " + built.method() + " " + built.uri().getPath()
                        + " answered " + response.statusCode() + ": " + response.body(), response.statusCode());
            }
            return JSON.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw new SchemaRegistryException("schema registry at " + baseUri + " answered " + built.method() + " "
                    + built.uri().getPath() + " with something that is not JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new SchemaRegistryException("schema registry at " + baseUri + " could not be reached", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException("interrupted while calling the schema registry", e);
        }
    }

    private URI uri(String path) {
        return URI.create(baseUri + path);
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
