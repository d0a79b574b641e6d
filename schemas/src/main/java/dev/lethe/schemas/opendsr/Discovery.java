package dev.lethe.schemas.opendsr;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A processor's discovery document ({@code GET {url}/discovery}), the fields Lethe uses.
 *
 * @param apiVersion           {@code api_version}
 * @param identities           {@code supported_identities} as {@code type/format} pairs
 * @param requestTypes         {@code supported_subject_request_types}
 * @param certificateUrl       {@code processor_certificate}
 */
public record Discovery(String apiVersion, List<String> identities, List<String> requestTypes, String certificateUrl) {

    public static Discovery parse(JsonNode node) throws SignatureException {
        final String certificate = node.path("processor_certificate").asText("");
        if (certificate.isBlank()) {
            throw new SignatureException("the discovery document names no processor_certificate");
        }
        final List<String> identities = new ArrayList<>();
        node.path("supported_identities").forEach(i -> identities.add(
                i.path("identity_type").asText() + "/" + i.path("identity_format").asText()));
        final List<String> types = new ArrayList<>();
        node.path("supported_subject_request_types").forEach(t -> types.add(t.asText()));
        return new Discovery(node.path("api_version").asText("2.0"), List.copyOf(identities), List.copyOf(types),
                certificate);
    }

    /** Whether the processor says it accepts {@code type} in {@code format} (any, when it lists none). */
    public boolean accepts(String type, String format) {
        return identities.isEmpty() || identities.contains(type + "/" + format);
    }
}
