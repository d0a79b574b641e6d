package dev.lethe.gateway.erasure;

import dev.lethe.avro.CallbackOutcome;
import dev.lethe.avro.SystemCallback;
import dev.lethe.gateway.auth.Role;
import dev.lethe.gateway.http.ApiException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Turns a callback body into a {@link SystemCallback}, or refuses it with a 400 naming the
 * field: a known outcome, {@code itemsErased} not negative, {@code legalBasis} for
 * {@code RETAINED}, texts within their limits.
 */
final class CallbackValidator {

    static final int DETAIL_MAX = 4096;
    static final int LEGAL_BASIS_MAX = 1024;
    private static final List<String> OUTCOMES = Arrays.stream(CallbackOutcome.values()).map(Enum::name).toList();

    private CallbackValidator() {
    }

    /** The event to write for {@code body}: {@code system}'s answer about {@code requestId}, by {@code role}. */
    static SystemCallback validated(CallbackBody body, String requestId, String system, Instant now, Role role) {
        final CallbackOutcome outcome = CallbackOutcome.valueOf(outcome(body.outcome()));
        if (body.itemsErased() != null) {
            Fields.range(body.itemsErased(), "itemsErased", 0, Long.MAX_VALUE);
        }
        final String detail = Fields.optionalText(body.detail(), "detail", DETAIL_MAX);
        final String legalBasis = Fields.optionalText(body.legalBasis(), "legalBasis", LEGAL_BASIS_MAX);
        if (outcome == CallbackOutcome.RETAINED && legalBasis == null) {
            throw ApiException.badRequest("missing_field", "a RETAINED outcome needs legalBasis", "legalBasis");
        }
        return new SystemCallback(UUID.randomUUID().toString(), requestId, system, now, role.name(), outcome,
                body.itemsErased(), detail, legalBasis, null);
    }

    /** For a manual system: a DONE or NOT_FOUND needs the evidence text in {@code detail}. */
    static void requireEvidence(SystemCallback callback) {
        final CallbackOutcome outcome = callback.getOutcome();
        if ((outcome == CallbackOutcome.DONE || outcome == CallbackOutcome.NOT_FOUND) && callback.getDetail() == null) {
            throw ApiException.badRequest("missing_field", "a manual system's " + outcome.name()
                    + " needs detail: the evidence of what was done", "detail");
        }
    }

    private static String outcome(String outcome) {
        if (outcome == null) {
            throw Fields.missing("outcome");
        }
        if (!OUTCOMES.contains(outcome)) {
            throw Fields.invalid("outcome", "outcome must be one of " + String.join(", ", OUTCOMES));
        }
        return outcome;
    }
}
