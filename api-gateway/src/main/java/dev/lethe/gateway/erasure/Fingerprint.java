package dev.lethe.gateway.erasure;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.lethe.avro.ErasureRequested;
import dev.lethe.avro.Identifier;
import dev.lethe.avro.Scope;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fingerprint of a validated request: the SHA-256 hex of its canonical JSON (what was asked,
 * with defaults filled in; not its id, time or submitter), so that the same body sent twice has
 * one fingerprint however its keys were ordered or spaced.
 */
final class Fingerprint {

    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();

    private Fingerprint() {
    }

    static String of(ErasureRequested request) {
        final Map<String, Object> canonical = new LinkedHashMap<>();
        canonical.put("subject", identifier(request.getSubject()));
        canonical.put("identifiers", request.getIdentifiers().stream().map(Fingerprint::identifier).toList());
        canonical.put("jurisdiction", request.getJurisdiction());
        canonical.put("reason", request.getReason());
        canonical.put("source", request.getSource());
        canonical.put("scope", scope(request.getScope()));
        canonical.put("objects", request.getObjects());
        canonical.put("graceDays", request.getGraceDays());
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(CANONICAL.writeValueAsString(canonical).getBytes(StandardCharsets.UTF_8)));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("a request can always be fingerprinted", e);
        }
    }

    private static Map<String, String> identifier(Identifier identifier) {
        return Map.of("namespace", identifier.getNamespace(), "value", identifier.getValue());
    }

    private static Map<String, List<String>> scope(Scope scope) {
        if (scope == null || scope.getSystems().isEmpty() && scope.getExclude().isEmpty()) {
            return null;
        }
        return Map.of("systems", scope.getSystems().stream().sorted().toList(),
                "exclude", scope.getExclude().stream().sorted().toList());
    }
}
