package dev.lethe.ledger.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.avro.HttpSettings;
import dev.lethe.avro.ProcessingWindow;
import dev.lethe.avro.S3Settings;
import dev.lethe.avro.SystemMode;
import dev.lethe.avro.SystemRegistration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A system registration in the JSON shape of API.md ({@code PUT /v1/systems/{name}}) and back.
 * Also reads a systems file: a JSON array of registrations, each with its {@code name}.
 */
public final class SystemsJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SystemsJson() {
    }

    /** Reads a systems file; any error names the file and the entry. */
    public static List<SystemRegistration> readFile(Path file) {
        final JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read systems file " + file + ": " + e.getMessage(), e);
        }
        if (root == null || !root.isArray()) {
            throw new IllegalArgumentException("systems file " + file + " must hold a JSON array of registrations");
        }
        final List<SystemRegistration> systems = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            try {
                systems.add(fromJson(root.get(i).path("name").asText(""), root.get(i)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("systems file " + file + ", entry " + i + ": " + e.getMessage(), e);
            }
        }
        return systems;
    }

    public static SystemRegistration fromJson(String name, JsonNode body) {
        if (!name.matches("[a-z0-9][a-z0-9_.-]{0,62}")) {
            throw new IllegalArgumentException("system name '" + name
                    + "' must be 1-63 lower-case letters, digits, '_', '.' or '-'");
        }
        final List<String> namespaces = strings(body, "namespaces");
        if (namespaces.isEmpty()) {
            throw new IllegalArgumentException("system " + name + " needs at least one namespace");
        }
        return SystemRegistration.newBuilder()
                .setName(name)
                .setOwner(required(body, "owner"))
                .setContact(required(body, "contact"))
                .setMode(mode(body.path("mode").asText("event")))
                .setNamespaces(namespaces)
                .setJurisdictions(strings(body, "jurisdictions"))
                .setTags(strings(body, "tags"))
                .setSlaDays(body.path("slaDays").asInt(30))
                .setReminderHours(body.path("reminderHours").asInt(24))
                .setMaxAttempts(body.path("maxAttempts").asInt(5))
                .setHttp(http(body.path("http")))
                .setS3(s3(body.path("s3")))
                .build();
    }

    public static ObjectNode toJson(SystemRegistration system) {
        final ObjectNode node = JSON.createObjectNode();
        node.put("name", system.getName());
        node.put("owner", system.getOwner());
        node.put("contact", system.getContact());
        node.put("mode", system.getMode().name().toLowerCase(Locale.ROOT));
        strings(node.putArray("namespaces"), system.getNamespaces());
        strings(node.putArray("jurisdictions"), system.getJurisdictions());
        strings(node.putArray("tags"), system.getTags());
        node.put("slaDays", system.getSlaDays());
        node.put("reminderHours", system.getReminderHours());
        node.put("maxAttempts", system.getMaxAttempts());
        if (system.getHttp() != null) {
            node.putObject("http").put("url", system.getHttp().getUrl())
                    .put("timeoutMs", system.getHttp().getTimeoutMs())
                    .put("maxAttempts", system.getHttp().getMaxAttempts());
        }
        if (system.getS3() != null) {
            final S3Settings s3 = system.getS3();
            final ObjectNode s3Node = node.putObject("s3");
            strings(s3Node.putArray("buckets"), s3.getBuckets());
            strings(s3Node.putArray("prefixes"), s3.getPrefixes());
            final ObjectNode cdn = s3Node.putObject("cdnDomains");
            s3.getCdnDomains().forEach(cdn::put);
            s3Node.put("deletesPerSecond", s3.getDeletesPerSecond());
            s3Node.put("allVersions", s3.getAllVersions());
            if (s3.getWindow() != null) {
                s3Node.putObject("window").put("from", s3.getWindow().getFrom())
                        .put("to", s3.getWindow().getTo()).put("zone", s3.getWindow().getZone());
            }
        }
        return node;
    }

    private static SystemMode mode(String text) {
        try {
            return SystemMode.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("mode must be one of event, http, s3, manual; got '" + text + "'", e);
        }
    }

    private static HttpSettings http(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        return new HttpSettings(required(node, "url"), node.path("timeoutMs").asInt(5000),
                node.path("maxAttempts").asInt(8));
    }

    private static S3Settings s3(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        final Map<String, String> cdn = new LinkedHashMap<>();
        node.path("cdnDomains").fields().forEachRemaining(e -> cdn.put(e.getKey(), e.getValue().asText()));
        final JsonNode window = node.path("window");
        return new S3Settings(strings(node, "buckets"), strings(node, "prefixes"), cdn,
                node.path("deletesPerSecond").asInt(500), node.path("allVersions").asBoolean(false),
                window.isObject() ? new ProcessingWindow(required(window, "from"), required(window, "to"),
                        required(window, "zone")) : null);
    }

    private static String required(JsonNode node, String field) {
        final String value = node.path(field).asText("");
        if (value.isBlank()) {
            throw new IllegalArgumentException(field + " is required");
        }
        return value;
    }

    private static List<String> strings(JsonNode node, String field) {
        final List<String> values = new ArrayList<>();
        node.path(field).forEach(v -> values.add(v.asText()));
        return values;
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }
}
