package dev.lethe.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Kubernetes API's schemas of one release, as vendored in {@code deploy/schemas} (see
 * {@code vendor.py} there): validates a manifest the way kubeconform's strict mode does — its
 * {@code apiVersion} and {@code kind} must be known, every field must be declared and of its
 * declared type, required fields present.
 */
final class KubernetesSchemas {

    /** The Kubernetes release the manifests are validated against. */
    static final String VERSION = "1.36";
    static final Path MODULE = Path.of("").toAbsolutePath();
    private static final Path FOLDER = MODULE.resolve("schemas/kubernetes-" + VERSION);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(Dialects.getDraft4());

    private final JsonNode definitions;
    private final JsonNode kinds;
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    KubernetesSchemas() {
        try {
            this.definitions = JSON.readTree(FOLDER.resolve("definitions.json").toFile()).path("definitions");
            this.kinds = JSON.readTree(FOLDER.resolve("kinds.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What is wrong with {@code manifest} (one object), as readable lines; empty when it validates. */
    List<String> violations(String where, JsonNode manifest) {
        final String kind = manifest.path("apiVersion").asText() + " " + manifest.path("kind").asText();
        final String definition = kinds.path(kind).asText(null);
        if (definition == null) {
            return List.of(where + ": no schema for \"" + kind + "\" in Kubernetes " + VERSION);
        }
        final List<String> problems = new ArrayList<>();
        for (final Error error : schemas.computeIfAbsent(definition, this::schema).validate(manifest)) {
            problems.add(where + " (" + kind + " " + manifest.path("metadata").path("name").asText() + "): " + error);
        }
        return problems;
    }

    private Schema schema(String definition) {
        final ObjectNode root = JSON.createObjectNode().put("$ref", "#/definitions/" + definition);
        root.set("definitions", definitions);
        return REGISTRY.getSchema(root);
    }

    /** Every object of a multi-document YAML text (empty documents skipped). */
    static List<JsonNode> documents(String yaml) {
        try (var parser = new YAMLFactory().createParser(yaml)) {
            final List<JsonNode> documents = new ArrayList<>();
            for (JsonNode document : YAML.readValues(parser, JsonNode.class).readAll()) {
                if (document != null && document.isObject() && !document.isEmpty()) {
                    documents.add(document);
                }
            }
            return documents;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
