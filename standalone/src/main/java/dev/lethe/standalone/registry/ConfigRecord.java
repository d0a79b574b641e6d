package dev.lethe.standalone.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lethe.schemas.registry.Compatibility;

/**
 * A subject's own compatibility level, as stored in the {@code _schemas} topic: key
 * {@code {"keytype":"CONFIG","subject","magic":0}}, value {@code {"compatibilityLevel"}} (the shape
 * Confluent's registry writes); a tombstone removes it.
 *
 * @param subject the subject
 * @param level   its level, or null once removed
 */
record ConfigRecord(String subject, Compatibility level) implements LogRecord {

    static final String KEY_TYPE = "CONFIG";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String key() {
        return JSON.createObjectNode()
                .put("keytype", KEY_TYPE)
                .put("subject", subject)
                .put("magic", 0)
                .toString();
    }

    @Override
    public String value() {
        return level == null ? null : JSON.createObjectNode().put("compatibilityLevel", level.name()).toString();
    }

    static ConfigRecord parse(String key, String value) {
        final String subject = LogRecord.json(JSON, key).path("subject").asText(null);
        if (value == null) {
            return new ConfigRecord(subject, null);
        }
        final JsonNode node = LogRecord.json(JSON, value);
        return new ConfigRecord(subject, Compatibility.valueOf(node.path("compatibilityLevel").asText()));
    }
}
