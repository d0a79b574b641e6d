package dev.lethe.gateway.erasure;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.avro.Decision;
import dev.lethe.avro.DuplicateReceived;
import dev.lethe.avro.ErasureRequested;
import dev.lethe.avro.Scope;
import dev.lethe.gateway.auth.Role;
import dev.lethe.gateway.events.EventWriter;
import dev.lethe.gateway.http.ApiException;
import dev.lethe.gateway.ledger.LedgerClient;
import dev.lethe.gateway.ledger.LedgerJson;
import dev.lethe.gateway.ledger.RegisteredSystem;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules every filed request goes through, alone ({@code POST /v1/erasures}) or in a batch
 * ({@code POST /v1/erasures/batch}): the idempotency key's shape and the id it names, the
 * validation, the replay of a known idempotent id (the same body gets the first answer, another a
 * 422) and the look-up of an open request for the same subject and scope (a 200 duplicate).
 */
final class IntakeRules {

    static final int IDEMPOTENCY_KEY_MAX = 200;
    private static final Logger LOG = LoggerFactory.getLogger(IntakeRules.class);

    private final EventWriter events;
    private final LedgerClient ledger;
    private final IntakeValidator validator;
    private final Clock clock;

    /** What a filed request is answered: {@code duplicate} only for a duplicate of an open request. */
    record Answer(int status, IntakeHandler.Accepted body) {
    }

    IntakeRules(EventWriter events, LedgerClient ledger, Vocabulary vocabulary, Clock clock) {
        this.events = events;
        this.ledger = ledger;
        this.validator = new IntakeValidator(vocabulary,
                () -> ledger.systems().stream().map(RegisteredSystem::name).toList());
        this.clock = clock;
    }

    Instant now() {
        return clock.instant();
    }

    /**
     * {@code key} when it is a valid idempotency key (1-200 printable ASCII characters without
     * spaces), null when absent; else a 400 {@code invalid_header}, or {@code invalid_value} naming
     * {@code field} when the key came in a body.
     */
    static String idempotencyKey(String key, String field) {
        if (key == null) {
            return null;
        }
        if (key.isBlank() || key.length() > IDEMPOTENCY_KEY_MAX || !key.chars().allMatch(c -> c > 32 && c < 127)) {
            final String what = field == null ? "the Idempotency-Key header" : field;
            throw ApiException.badRequest(field == null ? "invalid_header" : "invalid_value", what + " must be 1-"
                    + IDEMPOTENCY_KEY_MAX + " printable ASCII characters without spaces", field);
        }
        return key;
    }

    /** The id of a request: a name-based UUID of the caller and its key, or a random one without a key. */
    static String requestId(String callerKey, String key) {
        return key == null ? UUID.randomUUID().toString()
                : UUID.nameUUIDFromBytes(("lethe-intake\n" + callerKey + "\n" + key)
                        .getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** The event to write for {@code body} as {@code id}, with its fingerprint; a 400 naming the field otherwise. */
    ErasureRequested validated(ErasureRequestBody body, String id, Instant now, Role role) {
        final ErasureRequested request = validator.validated(body, id, now, role);
        request.setFingerprint(Fingerprint.of(request));
        return request;
    }

    /**
     * The first answer again when the ledger already has this idempotent id (it waits for a request
     * accepted a moment ago); null when it does not; a 422 {@code idempotency_key_reused} when its
     * body differed.
     */
    Answer replayed(ErasureRequested request) {
        final JsonNode known;
        try {
            known = LedgerJson.parse(ledger.request(request.getRequestId()));
        } catch (ApiException e) {
            if (e.status() == 404) {
                return null;
            }
            throw e;
        }
        final JsonNode fingerprint = known.path("fingerprint");
        // A view without a fingerprint (a request filed by another producer, an older ledger) cannot be compared.
        if (fingerprint.isTextual() && !request.getFingerprint().equals(fingerprint.textValue())) {
            throw reused();
        }
        return new Answer(202, new IntakeHandler.Accepted(request.getRequestId(), "RECEIVED", null));
    }

    static ApiException reused() {
        return new ApiException(422, "idempotency_key_reused",
                "this Idempotency-Key was already used with another body", null, null);
    }

    /**
     * A 200 naming the open request of the same subject and scope, after writing a
     * {@code DuplicateReceived} decision to it; null when there is none (or the look-up cannot tell).
     */
    Answer duplicate(ErasureRequested request, Role role) {
        final JsonNode subject;
        try {
            subject = LedgerJson.parse(ledger.lookup(request.getSubject().getNamespace(),
                    request.getSubject().getValue()));
        } catch (ApiException e) {
            if (e.status() == 503) {
                // Taking the request matters more than spotting a duplicate: a second erasure is harmless.
                LOG.warn("the subject look-up is unavailable (rebalancing); request {} is filed without duplicate"
                        + " detection", request.getRequestId());
                return null;
            }
            if (e.status() != 404) {
                throw e;
            }
            // The look-up never answers 404 for a subject; a 404 is a ledger without the route (older version).
            LOG.warn("the ledger has no subject look-up; request {} is filed without duplicate detection",
                    request.getRequestId());
            return null;
        }
        return duplicateIn(subject, request, role);
    }

    /**
     * As {@link #duplicate}, with the subject's look-up answer already fetched ({@code subject}, or
     * null when it could not be had: then the request is filed without duplicate detection).
     */
    Answer duplicateIn(JsonNode subject, ErasureRequested request, Role role) {
        if (subject == null) {
            LOG.warn("the subject look-up is unavailable; request {} is filed without duplicate detection",
                    request.getRequestId());
            return null;
        }
        for (final JsonNode open : subject.path("open")) {
            if (sameScope(request.getScope(), open.path("scope"))) {
                final String existing = open.path("id").asText();
                final Decision decision = new Decision(UUID.randomUUID().toString(), existing, clock.instant(),
                        role.name(), new DuplicateReceived(request.getSource()));
                events.write(decision);
                LOG.info("request from {} is a duplicate of open request {}", role.name(), existing);
                return new Answer(200, new IntakeHandler.Accepted(existing, open.path("status").asText(), true));
            }
        }
        return null;
    }

    /** Both unscoped, or the same systems and the same exclusions (as sets). */
    static boolean sameScope(Scope scope, JsonNode known) {
        final Set<String> systems = scope == null ? Set.of() : Set.copyOf(scope.getSystems());
        final Set<String> exclude = scope == null ? Set.of() : Set.copyOf(scope.getExclude());
        return systems.equals(names(known.path("systems"))) && exclude.equals(names(known.path("exclude")));
    }

    private static Set<String> names(JsonNode array) {
        final Set<String> names = new HashSet<>();
        array.forEach(name -> names.add(name.asText()));
        return names;
    }
}
