package dev.lethe.gateway.subjects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.gateway.api.ApiOptional;
import dev.lethe.gateway.auth.Role;
import dev.lethe.gateway.erasure.Vocabulary;
import dev.lethe.gateway.http.ApiException;
import dev.lethe.gateway.http.RoleHandler;
import dev.lethe.gateway.ledger.LedgerClient;
import dev.lethe.gateway.ledger.LedgerJson;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /v1/subjects/{namespace}/{value}} (submitter or admin), the re-ingestion guard:
 * whether a subject was erased, when last, and by which requests (newest first). The raw value
 * is passed to the ledger in a POST body, never logged.
 */
public final class SubjectHandler implements RoleHandler {

    static final int VALUE_MAX = 1024;

    private final LedgerClient ledger;
    private final Vocabulary vocabulary;

    /** The answer. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Subject(String subjectKey, boolean erased, @ApiOptional String lastErasedAt, List<String> requests) {
    }

    public SubjectHandler(LedgerClient ledger, Vocabulary vocabulary) {
        this.ledger = ledger;
        this.vocabulary = vocabulary;
    }

    @Override
    public void handle(Context ctx, Role role) {
        final String namespace = ctx.pathParam("namespace");
        final String value = ctx.pathParam("value");
        if (!vocabulary.namespaces().contains(namespace)) {
            throw ApiException.badRequest("unknown_namespace", "namespace must be one of "
                    + String.join(", ", vocabulary.namespaces()), "namespace");
        }
        if (value.isBlank() || value.length() > VALUE_MAX) {
            throw ApiException.badRequest("invalid_value", "value must be 1-" + VALUE_MAX + " characters", "value");
        }
        final JsonNode known = LedgerJson.parse(ledger.lookup(namespace, value));
        final List<String> requests = new ArrayList<>();
        known.path("requests").forEach(id -> requests.add(id.asText()));
        final JsonNode last = known.path("lastErasedAt");
        ctx.json(new Subject(known.path("subjectKey").asText(), known.path("erased").asBoolean(false),
                last.isTextual() ? last.textValue() : null, requests));
    }
}
