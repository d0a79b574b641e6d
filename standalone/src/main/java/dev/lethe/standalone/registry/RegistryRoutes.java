package dev.lethe.standalone.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.schemas.registry.Compatibility;
import dev.lethe.standalone.registry.SchemaStore.SubjectVersion;
import io.javalin.config.JavalinConfig;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The subset of Confluent's Schema Registry REST API that Kafka clients and serdes use, over a
 * {@link SchemaService}. Requests are read as JSON whatever their content type; answers are
 * {@code application/vnd.schemaregistry.v1+json}; refusals are Confluent's
 * {@code {"error_code", "message"}} bodies, mapped in one place.
 */
final class RegistryRoutes {

    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final Logger LOG = LoggerFactory.getLogger(RegistryRoutes.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String AVRO = "AVRO";

    private final SchemaService service;

    RegistryRoutes(SchemaService service) {
        this.service = service;
    }

    void configure(JavalinConfig config) {
        final RoutesConfig routes = config.routes;
        routes.get("/", ctx -> answer(ctx, JSON.createObjectNode()));
        routes.get("/config", ctx -> answer(ctx, JSON.createObjectNode()
                .put("compatibilityLevel", SchemaService.DEFAULT_LEVEL.name())));
        routes.get("/config/{subject}", this::subjectLevel);
        routes.put("/config/{subject}", this::setSubjectLevel);
        routes.get("/schemas/types", ctx -> answer(ctx, List.of(AVRO)));
        routes.get("/schemas/ids/{id}", ctx -> answer(ctx, JSON.createObjectNode()
                .put("schema", service.schema(id(ctx)).toString())));
        routes.get("/schemas/ids/{id}/subjects", ctx -> answer(ctx, service.usesOf(id(ctx)).stream()
                .map(SubjectVersion::subject).distinct().toList()));
        routes.get("/schemas/ids/{id}/versions", this::versionsOfId);
        routes.get("/subjects", ctx -> answer(ctx, service.subjects()));
        routes.post("/subjects/{subject}", ctx -> answer(ctx, describe(service.lookup(subject(ctx), schema(ctx)))));
        routes.get("/subjects/{subject}/versions", ctx -> answer(ctx, service.versions(subject(ctx))));
        routes.post("/subjects/{subject}/versions", ctx -> answer(ctx, JSON.createObjectNode()
                .put("id", service.register(subject(ctx), schema(ctx)))));
        routes.get("/subjects/{subject}/versions/{version}", ctx -> answer(ctx, describe(version(ctx))));
        routes.get("/subjects/{subject}/versions/{version}/schema",
                ctx -> ctx.contentType(CONTENT_TYPE).result(version(ctx).schema().toString()));
        routes.post("/compatibility/subjects/{subject}/versions/{version}", this::compatibility);
        routes.exception(RegistryException.class, RegistryRoutes::refuse);
        routes.exception(Exception.class, RegistryRoutes::fail);
    }

    /** The subject's own level; the global one instead only with {@code ?defaultToGlobal=true}. */
    private void subjectLevel(Context ctx) throws JsonProcessingException {
        final String subject = subject(ctx);
        final boolean defaultToGlobal = Boolean.parseBoolean(ctx.queryParam("defaultToGlobal"));
        final Compatibility level = service.compatibility(subject)
                .or(() -> defaultToGlobal ? Optional.of(SchemaService.DEFAULT_LEVEL) : Optional.empty())
                .orElseThrow(() -> RegistryException.subjectLevelNotFound(subject));
        answer(ctx, JSON.createObjectNode().put("compatibilityLevel", level.name()));
    }

    /** {@code {"compatibility": "BACKWARD_TRANSITIVE"}}, answered as it was set. */
    private void setSubjectLevel(Context ctx) throws JsonProcessingException {
        final String level = json(ctx).path("compatibility").asText("");
        final Compatibility parsed;
        try {
            parsed = Compatibility.valueOf(level);
        } catch (IllegalArgumentException e) {
            throw RegistryException.invalidCompatibility(level);
        }
        service.setCompatibility(subject(ctx), parsed);
        answer(ctx, JSON.createObjectNode().put("compatibility", parsed.name()));
    }

    private void versionsOfId(Context ctx) throws JsonProcessingException {
        final ArrayNode uses = JSON.createArrayNode();
        service.usesOf(id(ctx)).forEach(use -> uses.addObject()
                .put("subject", use.subject())
                .put("version", use.version()));
        answer(ctx, uses);
    }

    private void compatibility(Context ctx) throws JsonProcessingException {
        final List<String> problems = service.incompatibilities(subject(ctx), ctx.pathParam("version"), schema(ctx));
        final ObjectNode result = JSON.createObjectNode().put("is_compatible", problems.isEmpty());
        if (Boolean.parseBoolean(ctx.queryParam("verbose"))) {
            problems.forEach(result.putArray("messages")::add);
        }
        answer(ctx, result);
    }

    private SubjectVersion version(Context ctx) {
        return service.version(subject(ctx), ctx.pathParam("version"));
    }

    private static String subject(Context ctx) {
        return ctx.pathParam("subject");
    }

    private static int id(Context ctx) {
        final String id = ctx.pathParam("id");
        return SchemaService.positiveInt(id).orElseThrow(() -> RegistryException.schemaNotFound("no schema with id " + id));
    }

    /** The Avro schema in a request body {@code {"schema": "...", "schemaType": "AVRO"}}. */
    private static Schema schema(Context ctx) {
        final JsonNode body = json(ctx);
        final String type = body.path("schemaType").asText(AVRO);
        if (!AVRO.equals(type)) {
            throw RegistryException.invalidSchema("schema type " + type + " is not supported, only " + AVRO);
        }
        if (!body.path("references").isMissingNode() && !body.path("references").isEmpty()) {
            throw RegistryException.invalidSchema("schema references are not supported");
        }
        return AvroSchemas.parse(body.path("schema").asText(null));
    }

    private static JsonNode json(Context ctx) {
        try {
            return JSON.readTree(ctx.body());
        } catch (JsonProcessingException e) {
            throw RegistryException.badRequest("the request body is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static ObjectNode describe(SubjectVersion version) {
        return JSON.createObjectNode()
                .put("subject", version.subject())
                .put("version", version.version())
                .put("id", version.id())
                .put("schema", version.schema().toString());
    }

    private static void answer(Context ctx, Object body) throws JsonProcessingException {
        ctx.contentType(CONTENT_TYPE).result(JSON.writeValueAsString(body));
    }

    private static void refuse(RegistryException e, Context ctx) {
        ctx.status(e.status()).contentType(CONTENT_TYPE).result(JSON.createObjectNode()
                .put("error_code", e.errorCode())
                .put("message", e.getMessage())
                .toString());
    }

    private static void fail(Exception e, Context ctx) {
        LOG.error("schema registry request {} {} failed", ctx.method(), ctx.path(), e);
        ctx.status(500).contentType(CONTENT_TYPE).result(JSON.createObjectNode()
                .put("error_code", 50001)
                .put("message", "Error in the backend data store: " + e.getMessage())
                .toString());
    }
}
