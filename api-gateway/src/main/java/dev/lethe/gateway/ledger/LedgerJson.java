package dev.lethe.gateway.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.gateway.http.ApiException;
import dev.lethe.gateway.http.Json;
import java.util.Set;

/**
 * Reads the ledger's JSON answers and turns internal request views into public ones: the
 * internal-only {@code fingerprint} is removed from a request and from every item of a list.
 */
public final class LedgerJson {

    /** Request statuses after which nothing more happens. */
    public static final Set<String> FINISHED = Set.of("COMPLETED", "COMPLETED_WITH_EXCEPTIONS", "REJECTED",
            "CANCELLED");
    private static final String FINGERPRINT = "fingerprint";

    private LedgerJson() {
    }

    /** The ledger's answer as a tree; a 502 when it is not JSON. */
    public static JsonNode parse(String ledgerAnswer) {
        try {
            return Json.lenient().readTree(ledgerAnswer);
        } catch (JsonProcessingException e) {
            throw ApiException.badGateway("the ledger's answer is not valid JSON");
        }
    }

    /** A request view without its internal fields. */
    public static JsonNode publicRequest(JsonNode request) {
        if (request instanceof ObjectNode object) {
            object.remove(FINGERPRINT);
        }
        return request;
    }

    /** A list page whose items are public request views. */
    public static JsonNode publicList(JsonNode page) {
        page.path("items").forEach(LedgerJson::publicRequest);
        return page;
    }

    /** The status of a request view. */
    public static String status(JsonNode request) {
        return request.path("status").asText("");
    }

    /** The status of {@code system} in a request view, or null when it is not a target. */
    public static String systemStatus(JsonNode request, String system) {
        for (final JsonNode target : request.path("systems")) {
            if (system.equals(target.path("name").asText(null))) {
                return target.path("status").asText("");
            }
        }
        return null;
    }

    /** Whether a request view says it needs a person for {@code reason} (UNROUTED, CONTRADICTED). */
    public static boolean needs(JsonNode request, String reason) {
        for (final JsonNode flag : request.path("attention")) {
            if (reason.equals(flag.asText(null))) {
                return true;
            }
        }
        return false;
    }

    /** Whether any target system of a request view has {@code status}. */
    public static boolean anySystem(JsonNode request, String status) {
        for (final JsonNode target : request.path("systems")) {
            if (status.equals(target.path("status").asText(null))) {
                return true;
            }
        }
        return false;
    }
}
