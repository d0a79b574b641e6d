package dev.lethe.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.gateway.http.Access;
import dev.lethe.gateway.http.ErrorBody;
import dev.lethe.gateway.http.Route;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the OpenAPI 3 document of the gateway from the same route table that registers the
 * handlers, so every route appears in it. Body schemas are generated from the body records by
 * reflection (strings, integers, booleans, lists, maps, nested records as {@code $ref}s), strictly:
 * every field is required and not null unless marked {@link ApiOptional}, a record takes no field
 * it does not declare ({@code additionalProperties: false}), and a field marked {@link OneOf} is an
 * {@code enum}. Every answer, success or error, has a schema.
 */
public final class OpenApiDocument {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final Pattern PATH_PARAMETER = Pattern.compile("\\{([^}]+)}");
    private static final Map<Integer, String> REASONS = Map.of(200, "OK", 202, "Accepted", 400, "Bad input; nothing "
            + "written", 401, "No token or an unknown one", 403, "The role may not do this", 404, "Unknown",
            409, "The state does not allow this", 413, "Too many items in one call", 422, "Idempotency-Key reused with another body", 503,
            "Not ready (store migrating, ledger catching up, broker down); see Retry-After");

    private final ObjectNode schemas = JSON.objectNode();
    private final Map<String, Class<?>> named = new java.util.HashMap<>();

    private OpenApiDocument() {
    }

    /** The document of {@code routes}. */
    public static ObjectNode of(List<Route> routes, String version) {
        return new OpenApiDocument().build(routes, version);
    }

    private ObjectNode build(List<Route> routes, String version) {
        final ObjectNode document = JSON.objectNode();
        document.put("openapi", "3.0.3");
        document.putObject("info").put("title", "Lethe API").put("version", version)
                .put("description", "The erasure ledger's public HTTP API. Errors: {\"error\", \"message\", \"field\"}.");
        final ObjectNode paths = document.putObject("paths");
        for (final Route route : routes) {
            final ObjectNode path = paths.has(route.path()) ? (ObjectNode) paths.get(route.path())
                    : paths.putObject(route.path());
            path.set(route.method().name().toLowerCase(Locale.ROOT), operation(route));
        }
        schema(ErrorBody.class);
        final ObjectNode components = document.putObject("components");
        components.putObject("securitySchemes").putObject("bearer").put("type", "http").put("scheme", "bearer");
        components.set("schemas", schemas);
        return document;
    }

    private ObjectNode operation(Route route) {
        final ObjectNode operation = JSON.objectNode();
        operation.put("summary", route.summary());
        operation.put("description", "Who may call: " + route.access().description() + ".");
        operation.put("operationId", route.method().name().toLowerCase(Locale.ROOT) + route.path()
                .replaceAll("[{}]", "").replace('/', '_'));
        if (route.access() != Access.PUBLIC) {
            operation.putArray("security").addObject().putArray("bearer");
        }
        final ArrayNode parameters = operation.putArray("parameters");
        final Matcher matcher = PATH_PARAMETER.matcher(route.path());
        while (matcher.find()) {
            parameters.addObject().put("name", matcher.group(1)).put("in", "path").put("required", true)
                    .putObject("schema").put("type", "string");
        }
        route.query().forEach(name -> parameters.addObject().put("name", name).put("in", "query")
                .put("required", false).putObject("schema").put("type", "string"));
        if (route.requestBody() != null) {
            final ObjectNode body = operation.putObject("requestBody");
            body.put("required", !route.bodyOptional());
            body.putObject("content").putObject("application/json").set("schema", schema(route.requestBody()));
        }
        responses(route, operation.putObject("responses"));
        return operation;
    }

    private void responses(Route route, ObjectNode responses) {
        success(route, route.status(), responses);
        route.alsoStatuses().forEach(status -> success(route, status, responses));
        final List<Integer> errors = new java.util.ArrayList<>(route.errors());
        if (route.access() != Access.PUBLIC) {
            errors.add(401);
            errors.add(403);
        }
        for (final int status : errors) {
            final ObjectNode error = responses.putObject(Integer.toString(status));
            error.put("description", REASONS.getOrDefault(status, "Error"));
            error.putObject("content").putObject("application/json").putObject("schema")
                    .put("$ref", "#/components/schemas/ErrorBody");
        }
    }

    private void success(Route route, int status, ObjectNode responses) {
        final ObjectNode success = responses.putObject(Integer.toString(status));
        success.put("description", REASONS.getOrDefault(status, "OK"));
        if (route.responseBody() == Object.class) {
            success.putObject("content").putObject("application/json").putObject("schema").put("type", "object");
        } else if (route.responseBody() != null) {
            final JsonNode schema = route.responseIsList()
                    ? JSON.objectNode().put("type", "array").set("items", schema(route.responseBody()))
                    : schema(route.responseBody());
            final String type = route.responseBody() == String.class ? "text/plain" : "application/json";
            success.putObject("content").putObject(type).set("schema", schema);
        }
    }

    /** The schema of {@code type}: a {@code $ref} for records (added to the components once). */
    ObjectNode schema(Type type) {
        if (type instanceof ParameterizedType parameterized) {
            final Class<?> raw = (Class<?>) parameterized.getRawType();
            final Type[] arguments = parameterized.getActualTypeArguments();
            if (List.class.isAssignableFrom(raw)) {
                return JSON.objectNode().put("type", "array").set("items", schema(arguments[0]));
            }
            if (Map.class.isAssignableFrom(raw)) {
                return JSON.objectNode().put("type", "object").set("additionalProperties", schema(arguments[1]));
            }
            return schema(raw);
        }
        final Class<?> c = (Class<?>) type;
        if (c == String.class) {
            return JSON.objectNode().put("type", "string");
        }
        if (c == Instant.class) {
            return JSON.objectNode().put("type", "string").put("format", "date-time");
        }
        if (c == Integer.class || c == int.class || c == Long.class || c == long.class) {
            return JSON.objectNode().put("type", "integer");
        }
        if (c == Boolean.class || c == boolean.class) {
            return JSON.objectNode().put("type", "boolean");
        }
        if (c.isRecord()) {
            return record(c);
        }
        return JSON.objectNode();
    }

    private ObjectNode record(Class<?> record) {
        final String name = name(record);
        final Class<?> known = named.putIfAbsent(name, record);
        if (known != null && known != record) {
            throw new IllegalStateException(record.getName() + " and " + known.getName() + " would share the schema "
                    + name);
        }
        if (!schemas.has(name)) {
            final ObjectNode schema = schemas.putObject(name);
            schema.put("type", "object");
            final ObjectNode properties = schema.putObject("properties");
            final ArrayNode required = JSON.arrayNode();
            for (final RecordComponent component : record.getRecordComponents()) {
                properties.set(component.getName(), property(component));
                if (!component.isAnnotationPresent(ApiOptional.class)) {
                    required.add(component.getName());
                }
            }
            if (!required.isEmpty()) {
                schema.set("required", required);
            }
            schema.put("additionalProperties", false);
        }
        return JSON.objectNode().put("$ref", "#/components/schemas/" + name);
    }

    /**
     * A record's schema name: its simple name, prefixed by its handler's name when it is nested in
     * one ({@code IntakeHandler.Accepted} is {@code IntakeAccepted}), so that answers never share one.
     */
    static String name(Class<?> record) {
        final Class<?> enclosing = record.getEnclosingClass();
        if (enclosing == null || !enclosing.getSimpleName().endsWith("Handler")) {
            return record.getSimpleName();
        }
        final String prefix = enclosing.getSimpleName().substring(0, enclosing.getSimpleName().length()
                - "Handler".length());
        return record.getSimpleName().startsWith(prefix) ? record.getSimpleName() : prefix + record.getSimpleName();
    }

    /** A field's schema: its type's, with its enum, and nullable when it is optional. */
    private ObjectNode property(RecordComponent component) {
        ObjectNode property = schema(component.getGenericType());
        final OneOf oneOf = component.getAnnotation(OneOf.class);
        if (oneOf != null) {
            final ArrayNode values = property.putArray("enum");
            for (final Enum<?> constant : oneOf.value().getEnumConstants()) {
                values.add(constant.name());
            }
        }
        if (component.isAnnotationPresent(ApiOptional.class)) {
            if (property.has("$ref")) {
                // In OpenAPI 3.0 a $ref takes no sibling keywords: wrap it to make it nullable.
                property = JSON.objectNode().put("nullable", true).set("allOf", JSON.arrayNode().add(property));
            } else {
                property.put("nullable", true);
            }
        }
        return property;
    }
}
