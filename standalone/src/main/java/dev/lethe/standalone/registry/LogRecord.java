package dev.lethe.standalone.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;

/**
 * One record of the {@code _schemas} topic, in the shape Confluent's registry writes: a
 * registered version ({@link SchemaRecord}, key type {@code SCHEMA}) or a subject's compatibility
 * level ({@link ConfigRecord}, key type {@code CONFIG}). Records of other key types are skipped.
 */
sealed interface LogRecord permits SchemaRecord, ConfigRecord {

    /** The compaction key (JSON). */
    String key();

    /** The value (JSON), or null for a tombstone. */
    String value();

    /** Decodes a record of the topic; empty for a key type the registry does not keep. */
    static Optional<LogRecord> parse(String key, String value) {
        final String type;
        try {
            type = new ObjectMapper().readTree(key).path("keytype").asText();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable record in the schemas topic, key " + key, e);
        }
        return switch (type) {
            case SchemaRecord.KEY_TYPE -> SchemaRecord.parse(key, value).map(LogRecord.class::cast);
            case ConfigRecord.KEY_TYPE -> Optional.of(ConfigRecord.parse(key, value));
            default -> Optional.empty();
        };
    }

    /** {@code text} as JSON, for the records' own parsers. */
    static JsonNode json(ObjectMapper mapper, String text) {
        try {
            return mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable record in the schemas topic: " + text, e);
        }
    }
}
