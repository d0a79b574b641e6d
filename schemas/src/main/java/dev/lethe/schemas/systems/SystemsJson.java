package dev.lethe.schemas.systems;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.avro.OpenDsrSettings;
import dev.lethe.avro.S3Settings;
import dev.lethe.avro.SystemRegistration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A system registration in the JSON shape of API.md ({@code PUT /v1/systems/{name}}) and back,
 * shared by the gateway and the ledger so both map (and check, through {@link SystemsValidator})
 * the same way. Also reads a systems file: a JSON array of registrations, each with its
 * {@code name}.
 */
public final class SystemsJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SystemsJson() {
    }

    /** Reads a systems file, checking every entry with {@link SystemsValidator#anyVocabulary()}. */
    public static List<SystemRegistration> readFile(Path file) {
        return readFile(file, SystemsValidator.anyVocabulary());
    }

    /** Reads a systems file; any error names the file, the entry and the field. */
    public static List<SystemRegistration> readFile(Path file, SystemsValidator validator) {
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
                final JsonNode name = root.get(i).path("name");
                systems.add(validator.validate(name.isTextual() ? name.textValue() : "", root.get(i)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("systems file " + file + ", entry " + i + ": " + e.getMessage(), e);
            }
        }
        return systems;
    }

    /** The registration of {@code name} in {@code body}, checked by {@link SystemsValidator#anyVocabulary()}. */
    public static SystemRegistration fromJson(String name, JsonNode body) {
        return SystemsValidator.anyVocabulary().validate(name, body);
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
        if (system.getOpendsr() != null) {
            openDsr(node.putObject("opendsr"), system.getOpendsr());
        }
        if (system.getSql() != null) {
            SqlRegistration.toJson(system.getSql(), node);
        }
        return node;
    }

    private static void openDsr(ObjectNode node, OpenDsrSettings settings) {
        node.put("url", settings.getUrl());
        final ArrayNode identities = node.putArray("identities");
        settings.getIdentities().forEach(i -> identities.addObject().put("namespace", i.getNamespace())
                .put("type", i.getType()).put("format", i.getFormat()));
        if (settings.getCredentialsFile() != null) {
            node.put("credentialsFile", settings.getCredentialsFile());
        }
        if (settings.getDomain() != null) {
            node.put("domain", settings.getDomain());
        }
        node.put("regulation", settings.getRegulation());
        node.put("timeoutMs", settings.getTimeoutMs());
        node.put("maxAttempts", settings.getMaxAttempts());
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }
}
