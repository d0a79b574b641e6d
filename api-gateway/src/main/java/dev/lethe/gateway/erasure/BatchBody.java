package dev.lethe.gateway.erasure;

import dev.lethe.gateway.api.ApiOptional;
import dev.lethe.gateway.erasure.ErasureRequestBody.IdentifierBody;
import dev.lethe.gateway.erasure.ErasureRequestBody.ScopeBody;
import java.util.List;

/**
 * The body of {@code POST /v1/erasures/batch}: up to {@link BatchIntakeHandler#MAX_ITEMS} requests,
 * each the body of {@code POST /v1/erasures} with, optionally, its own {@code idempotencyKey} (the
 * same rules and the same id as the {@code Idempotency-Key} header of a single request).
 */
public record BatchBody(List<BatchRequest> requests) {

    /** One request of a batch. */
    public record BatchRequest(IdentifierBody subject, @ApiOptional List<IdentifierBody> identifiers,
                       String jurisdiction, String reason, String source, @ApiOptional ScopeBody scope,
                       @ApiOptional List<String> objects, @ApiOptional Integer graceDays,
                       @ApiOptional String idempotencyKey) {

        /** The request as a single {@code POST /v1/erasures} would have sent it. */
        ErasureRequestBody body() {
            return new ErasureRequestBody(subject, identifiers, jurisdiction, reason, source, scope, objects, graceDays);
        }
    }
}
