package dev.lethe.gateway.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The served {@code /openapi.json} as a contract that answers are checked against: the route is
 * found by method and concrete path, the status must be documented for it, and a JSON body must
 * match the documented schema (validated by networknt's json-schema-validator with its OpenAPI 3.0
 * dialect, so {@code nullable} is understood). Shared by the gateway's tests and, through the
 * test jar, by the standalone integration tests' client.
 */
public final class OpenApiContract {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi30());

    private final JsonNode document;
    private final List<Template> templates = new ArrayList<>();

    private record Template(String path, Pattern pattern, int parameters) {
    }

    public OpenApiContract(JsonNode document) {
        this.document = document;
        for (final Iterator<String> it = document.path("paths").fieldNames(); it.hasNext(); ) {
            final String path = it.next();
            final String regex = "^" + Pattern.quote(path).replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q") + "$";
            templates.add(new Template(path, Pattern.compile(regex), path.split("\\{", -1).length - 1));
        }
        templates.sort(Comparator.comparingInt(Template::parameters));
    }

    /** The contract of the document {@code text}. */
    public static OpenApiContract parse(String text) {
        try {
            return new OpenApiContract(JSON.readTree(text));
        } catch (IOException e) {
            throw new UncheckedIOException("/openapi.json is not JSON", e);
        }
    }

    /**
     * What is wrong with an answer of {@code status} carrying {@code body} (with content type
     * {@code contentType}) to {@code method} {@code pathAndQuery}; empty when it keeps the contract.
     */
    public List<String> violations(String method, String pathAndQuery, int status, String contentType, String body) {
        final String path = pathAndQuery.split("\\?", 2)[0];
        final String verb = method.toLowerCase(Locale.ROOT);
        final Template template = templates.stream()
                .filter(t -> t.pattern().matcher(path).matches() && document.path("paths").path(t.path()).has(verb))
                .findFirst().orElse(null);
        if (template == null) {
            return status == 404 || status == 405 ? List.of() : List.of(method + " " + path + " is not documented");
        }
        final String where = method + " " + template.path() + " " + status;
        final JsonNode response = document.path("paths").path(template.path()).path(verb).path("responses")
                .path(Integer.toString(status));
        if (response.isMissingNode()) {
            return List.of(where + ": the status is not documented");
        }
        if (contentType == null || !contentType.startsWith("application/json")) {
            return response.path("content").has("application/json")
                    ? List.of(where + ": answered " + contentType + ", documented as JSON") : List.of();
        }
        final JsonNode schema = response.path("content").path("application/json").path("schema");
        if (schema.isMissingNode()) {
            return List.of(where + ": JSON answer without a documented schema");
        }
        return validate(where, schema, body);
    }

    /** What is wrong with {@code body} as an instance of the component schema {@code name}. */
    public List<String> violationsOf(String name, String body) {
        return validate(name, JSON.createObjectNode().put("$ref", "#/components/schemas/" + name), body);
    }

    private List<String> validate(String where, JsonNode schema, String body) {
        final JsonNode instance;
        try {
            instance = JSON.readTree(body);
        } catch (IOException e) {
            return List.of(where + ": the answer is not JSON");
        }
        // The schema with the document's components beside it, so that its $refs resolve.
        final ObjectNode root = schema.deepCopy();
        root.set("components", document.path("components"));
        final Schema validator = SCHEMAS.getSchema(root);
        final List<String> problems = new ArrayList<>();
        for (final Error error : validator.validate(instance)) {
            problems.add(where + ": " + error);
        }
        return problems;
    }
}
