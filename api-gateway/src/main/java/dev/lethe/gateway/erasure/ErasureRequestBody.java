package dev.lethe.gateway.erasure;

import java.util.List;

/**
 * The body of {@code POST /v1/erasures}, exactly as sent; {@link IntakeValidator} checks it.
 */
public record ErasureRequestBody(IdentifierBody subject, List<IdentifierBody> identifiers, String jurisdiction,
                                 String reason, String source, ScopeBody scope, List<String> objects,
                                 Integer graceDays) {

    /** One identifier: a namespace and its raw value (personal data: never logged). */
    public record IdentifierBody(String namespace, String value) {
    }

    /** Only these systems, never those. */
    public record ScopeBody(List<String> systems, List<String> exclude) {
    }
}
