package dev.lethe.gateway.api;

import java.util.List;
import java.util.Map;

/**
 * The shapes of answers the gateway relays from the ledger and of the registry body, as records
 * so that {@code /openapi.json} can describe them; the handlers relay the ledger's JSON itself.
 */
public final class Shapes {

    private Shapes() {
    }

    /** One target system of a request. */
    public record SystemView(String name, String status, Integer attempts, String updatedAt, Long itemsErased,
                             String detail, String legalBasis, Boolean overdue) {
    }

    /** The scope a request was filed with. */
    public record ScopeView(List<String> systems, List<String> exclude) {
    }

    /**
     * A request as {@code GET /v1/erasures/{id}} answers it; {@code attention} says why it needs a
     * person (UNROUTED, CONTRADICTED), empty when nothing; {@code duplicateOf}, when set, is the open
     * request of the same subject and scope that this one was judged a duplicate of (it ended CANCELLED).
     */
    public record RequestView(String id, String status, String subjectKey, String jurisdiction, String reason,
                              String source, String requestedAt, String deadline, String finishedAt, Boolean overdue,
                              ScopeView scope, List<SystemView> systems, List<String> attention,
                              String duplicateOf) {
    }

    /** One page of a list. */
    public record Page(List<RequestView> items, String next) {
    }

    /** One fact of the audit trail. */
    public record AuditEntry(String at, String type, String actor, String system, String detail) {
    }

    /** {@code http} settings of a registration. */
    public record HttpSettingsBody(String url, Integer timeoutMs, Integer maxAttempts) {
    }

    /** The processing window of an {@code s3} system. */
    public record WindowBody(String from, String to, String zone) {
    }

    /** {@code s3} settings of a registration. */
    public record S3SettingsBody(List<String> buckets, List<String> prefixes, Map<String, String> cdnDomains,
                                 Integer deletesPerSecond, Boolean allVersions, WindowBody window) {
    }

    /** The body of {@code PUT /v1/systems/{name}} (and, with {@code name}, the registry's answers). */
    public record Registration(String name, String owner, String contact, String mode, List<String> namespaces,
                               List<String> jurisdictions, List<String> tags, Integer slaDays, Integer reminderHours,
                               Integer maxAttempts, HttpSettingsBody http, S3SettingsBody s3) {
    }
}
