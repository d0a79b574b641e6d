package dev.lethe.gateway.erasure;

import dev.lethe.gateway.api.ApiOptional;
import java.util.List;

/**
 * The body of {@code POST /v1/erasures}, exactly as sent; {@link IntakeValidator} checks it.
 */
public record ErasureRequestBody(IdentifierBody subject, @ApiOptional List<IdentifierBody> identifiers,
                                 String jurisdiction, String reason, String source, @ApiOptional ScopeBody scope,
                                 @ApiOptional List<String> objects, @ApiOptional Integer graceDays) {

    /** One identifier: a namespace and its raw value (personal data: never logged). */
    public record IdentifierBody(String namespace, String value) {
    }

    /** Only these systems, never those. */
    public record ScopeBody(@ApiOptional List<String> systems, @ApiOptional List<String> exclude) {
    }
}
