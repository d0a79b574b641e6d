package dev.lethe.gateway.api;

import java.util.List;
import java.util.Map;

/**
 * The shapes of answers the gateway relays from the ledger and of the registry body, as records
 * so that {@code /openapi.json} can describe them; the handlers relay the ledger's JSON itself.
 * Each field is required and not null unless marked {@link ApiOptional}; the contract tests check
 * every answer of the integration tests against them, so a field the ledger adds must be added
 * here too.
 */
public final class Shapes {

    private Shapes() {
    }

    /** A request's status. */
    public enum RequestStatus { RECEIVED, PENDING_APPROVAL, SCHEDULED, IN_PROGRESS, COMPLETED,
        COMPLETED_WITH_EXCEPTIONS, REJECTED, CANCELLED }

    /** A target system's status. */
    public enum SystemStatus { PENDING, DISPATCHED, IN_PROGRESS, DONE, NOT_FOUND, RETAINED, FAILED }

    /** How a system erases. */
    public enum Mode { event, http, s3, manual, opendsr, sql }

    /** One target system of a request ({@code overdue}: once its own deadline passed unanswered). */
    public record SystemView(String name, @OneOf(SystemStatus.class) String status, Integer attempts,
                             @ApiOptional String updatedAt, @ApiOptional Long itemsErased,
                             @ApiOptional String detail, @ApiOptional String legalBasis,
                             @ApiOptional String deadline, @ApiOptional Boolean overdue) {
    }

    /** The scope a request was filed with. */
    public record ScopeView(List<String> systems, List<String> exclude) {
    }

    /**
     * A request as {@code GET /v1/erasures/{id}} answers it; {@code attention} lists why it needs a
     * person, {@code duplicateOf} the open request it duplicates.
     */
    public record RequestView(String id, @OneOf(RequestStatus.class) String status, String subjectKey,
                              String jurisdiction, @ApiOptional String reason, @ApiOptional String source,
                              String requestedAt, @ApiOptional String deadline, @ApiOptional String finishedAt,
                              Boolean overdue, @ApiOptional ScopeView scope, List<SystemView> systems,
                              @ApiOptional List<String> attention, @ApiOptional String duplicateOf) {
    }

    /** One page of a list; {@code next} is the cursor of the following page, null on the last. */
    public record Page(List<RequestView> items, @ApiOptional String next) {
    }

    /** One fact of the audit trail: a hash chain ({@code prevHash} null on the first fact). */
    public record AuditEntry(Integer seq, String at, String type, @ApiOptional @OneOf(RequestStatus.class) String status,
                             String actor, @ApiOptional String system, @ApiOptional String detail,
                             @ApiOptional String prevHash, String hash) {
    }

    /** {@code http} settings of a registration. */
    public record HttpSettingsBody(String url, @ApiOptional Integer timeoutMs, @ApiOptional Integer maxAttempts) {
    }

    /** The processing window of an {@code s3} system. */
    public record WindowBody(String from, String to, String zone) {
    }

    /** {@code s3} settings of a registration. */
    public record S3SettingsBody(List<String> buckets, @ApiOptional List<String> prefixes,
                                 @ApiOptional Map<String, String> cdnDomains, @ApiOptional Integer deletesPerSecond,
                                 @ApiOptional Boolean allVersions, @ApiOptional WindowBody window) {
    }

    /** One identity an {@code opendsr} processor accepts: a namespace sent as an OpenDSR type and format. */
    public record OpenDsrIdentityBody(String namespace, String type, String format) {
    }

    /** {@code opendsr} settings of a registration; credentials only as the path of a secret file. */
    public record OpenDsrSettingsBody(String url, List<OpenDsrIdentityBody> identities,
                                      @ApiOptional String credentialsFile, @ApiOptional String domain,
                                      @ApiOptional String regulation, @ApiOptional Integer timeoutMs,
                                      @ApiOptional Integer maxAttempts) {
    }

    /** The body of {@code PUT /v1/systems/{name}} (and, with {@code name}, the registry's answers). */
    public record Registration(@ApiOptional String name, String owner, String contact, @OneOf(Mode.class) String mode,
                               List<String> namespaces, @ApiOptional List<String> jurisdictions,
                               @ApiOptional List<String> tags, @ApiOptional Integer slaDays,
                               @ApiOptional Integer reminderHours, @ApiOptional Integer maxAttempts,
                               @ApiOptional HttpSettingsBody http, @ApiOptional S3SettingsBody s3,
                               @ApiOptional OpenDsrSettingsBody opendsr,
                               @ApiOptional SqlSettingsBody sql) {
    }

    /** How a SQL table rule finds a subject's rows: a column holding an identifier of a namespace. */
    public record SqlMatchBody(String column, String namespace) {
    }

    /** ... or a join through a parent table's key: this table's column holding the parent's key. */
    public record SqlViaBody(String column, String parent) {
    }

    /** A masked column: {@code null}, {@code fixed} (with {@code value}), {@code hmac} or {@code random}. */
    public record SqlMaskBody(String column, String strategy, @ApiOptional String value) {
    }

    /** A column holding object references (a JSON path inside a JSON column; a manifest). */
    public record SqlFileBody(String column, @ApiOptional String path, @ApiOptional Boolean manifest) {
    }

    /** One table rule of a SQL system. */
    public record SqlTableBody(String table, String key, @ApiOptional SqlMatchBody match, @ApiOptional SqlViaBody via,
                               String action, @ApiOptional List<SqlMaskBody> mask,
                               @ApiOptional List<SqlFileBody> files, @ApiOptional List<String> after) {
    }

    /** The buckets the files SQL rows point to are in. */
    public record SqlFilesBody(List<String> buckets, @ApiOptional Map<String, String> cdnDomains,
                               @ApiOptional Integer deletesPerSecond) {
    }

    /** {@code sql} settings of a registration (credentials by reference to a secret file of the ledger). */
    public record SqlSettingsBody(String jdbcUrl, String credentials, @ApiOptional Integer rowsPerBatch,
                                  @ApiOptional Integer rowsPerSecond, @ApiOptional WindowBody window,
                                  @ApiOptional SqlFilesBody files, List<SqlTableBody> tables) {
    }
}
