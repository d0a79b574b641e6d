package dev.lethe.standalone.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * One registered version of a subject, as stored in the {@code _schemas} topic. Keys and values
 * are JSON in the shape Confluent's registry writes ({@code {"keytype":"SCHEMA","subject",
 * "version","magic":1}} and {@code {"subject","version","id","schema","deleted"}}), so the topic
 * stays readable by tools that know that format. Keys of other types are not schema versions.
 *
 * @param subject the subject name
 * @param version the version within the subject, from 1
 * @param id      the global schema id
 * @param schema  the schema in Avro canonical JSON ({@code Schema.toString()})
 * @param deleted whether this version was deleted
 */
record SchemaRecord(String subject, int version, int id, String schema, boolean deleted) implements LogRecord {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String KEY_TYPE = "SCHEMA";

    /** The compaction key: one per subject version. */
    @Override
    public String key() {
        final ObjectNode key = JSON.createObjectNode()
                .put("keytype", KEY_TYPE)
                .put("subject", subject)
                .put("version", version)
                .put("magic", 1);
        return key.toString();
    }

    @Override
    public String value() {
        final ObjectNode value = JSON.createObjectNode()
                .put("subject", subject)
                .put("version", version)
                .put("id", id)
                .put("schema", schema)
                .put("deleted", deleted);
        return value.toString();
    }

    /**
     * Decodes a record of the topic; empty for keys that are not schema versions. A tombstone
     * (null value) reads as a deleted version.
     */
    static Optional<SchemaRecord> parse(String key, String value) {
        try {
            final JsonNode keyNode = JSON.readTree(key);
            if (!KEY_TYPE.equals(keyNode.path("keytype").asText())) {
                return Optional.empty();
            }
            final String subject = keyNode.path("subject").asText();
            final int version = keyNode.path("version").asInt();
            if (value == null) {
                return Optional.of(new SchemaRecord(subject, version, -1, null, true));
            }
            final JsonNode valueNode = JSON.readTree(value);
            return Optional.of(new SchemaRecord(subject, version, valueNode.path("id").asInt(),
                    valueNode.path("schema").asText(), valueNode.path("deleted").asBoolean(false)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable record in the schemas topic, key " + key, e);
        }
    }
}
