package dev.lethe.gateway.erasure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.avro.Cancelled;
import dev.lethe.avro.Decision;
import dev.lethe.avro.ErasureRequested;
import dev.lethe.avro.OpenDsrPortal;
import dev.lethe.gateway.auth.Role;
import dev.lethe.gateway.events.EventWriter;
import dev.lethe.gateway.events.Written;
import dev.lethe.gateway.http.ApiException;
import dev.lethe.gateway.http.Guard;
import dev.lethe.gateway.http.Json;
import dev.lethe.gateway.http.JsonBody;
import dev.lethe.gateway.http.RoleHandler;
import dev.lethe.gateway.ledger.LedgerClient;
import dev.lethe.gateway.ledger.LedgerJson;
import dev.lethe.gateway.opendsr.Signer;
import dev.lethe.schemas.opendsr.PortalHosts;
import dev.lethe.schemas.opendsr.Statuses;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lethe as an OpenDSR processor, for privacy portals that file erasure requests in that format
 * (submitter or admin token): {@code GET /opendsr/v1/discovery}, {@code POST /opendsr/v1/requests},
 * {@code GET} and {@code DELETE /opendsr/v1/requests/{subject_request_id}}, every answer signed
 * by Lethe's {@link Signer} ({@code X-OpenDSR-Processor-Domain}, {@code X-OpenDSR-Signature}).
 *
 * <p>A request becomes an ordinary intake ({@link IntakeRules}): the first {@code raw} identity is
 * the subject, the others identifiers, each {@code identity_type} mapped to a Lethe namespace
 * ({@link #NAMESPACES}); the regulation ({@code gdpr}, {@code ccpa}) is the jurisdiction. Its
 * Lethe id is a name-based UUID of the caller's token and the {@code subject_request_id}, so the
 * same id filed again by the same caller answers the first receipt again (201, same body), and
 * another body under that id is a 422. Statuses: RECEIVED, PENDING_APPROVAL and SCHEDULED are
 * {@code pending}, IN_PROGRESS and OVERDUE {@code in_progress}, COMPLETED and
 * COMPLETED_WITH_EXCEPTIONS {@code completed}, REJECTED and CANCELLED {@code cancelled}. DELETE
 * cancels a request only while it is {@code pending} (409 afterwards). Errors are Lethe's
 * {@code {"error","message","field"}}. A request's {@code status_callback_urls} must each name a
 * host of {@link PortalHosts} (400 naming {@code status_callback_urls[i]} otherwise); they are kept
 * with the request ({@code ErasureRequested.opendsr}) and the ledger's OpenDSR callback sender
 * calls each, signed, when the request's OpenDSR status changes.
 */
public final class OpenDsrIntake {

    /** The OpenDSR identity types Lethe accepts, and the namespace each becomes. */
    public static final Map<String, String> NAMESPACES = namespaces();
    static final String API_VERSION = "2.0";
    private static final Logger LOG = LoggerFactory.getLogger(OpenDsrIntake.class);
    private static final Duration EXPECTED = Duration.ofDays(30);
    private static final Pattern UUID_V4 = Pattern.compile(
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    static final int MAX_CALLBACK_URLS = 5;
    static final int MAX_CALLBACK_URL_LENGTH = 2048;
    private static final Set<String> PENDING = Set.of("RECEIVED", "PENDING_APPROVAL", "SCHEDULED");
    private static final Set<String> FIELDS = Set.of("subject_request_id", "subject_request_type", "submitted_time",
            "subject_identities", "api_version", "status_callback_urls", "extensions", "regulation");

    private final EventWriter events;
    private final LedgerClient ledger;
    private final IntakeRules rules;
    private final Vocabulary vocabulary;
    private final Supplier<Signer> signer;
    private final Confirmation confirmation;
    private final Clock clock;
    private final PortalHosts portalHosts;

    public OpenDsrIntake(EventWriter events, LedgerClient ledger, Vocabulary vocabulary, Supplier<Signer> signer,
                         Confirmation confirmation, Clock clock) {
        this(events, ledger, vocabulary, signer, confirmation, clock, PortalHosts.none());
    }

    /** {@code portalHosts}: the hosts a request's {@code status_callback_urls} may name (none: any URL is refused). */
    public OpenDsrIntake(EventWriter events, LedgerClient ledger, Vocabulary vocabulary, Supplier<Signer> signer,
                         Confirmation confirmation, Clock clock, PortalHosts portalHosts) {
        this.portalHosts = portalHosts;
        this.events = events;
        this.ledger = ledger;
        this.rules = new IntakeRules(events, ledger, vocabulary, clock);
        this.vocabulary = vocabulary;
        this.signer = signer;
        this.confirmation = confirmation;
        this.clock = clock;
    }

    private static Map<String, String> namespaces() {
        final Map<String, String> map = new LinkedHashMap<>();
        map.put("email", "email");
        map.put("controller_customer_id", "customer_id");
        for (String device : List.of("android_advertising_id", "android_id", "fire_advertising_id",
                "ios_advertising_id", "ios_vendor_id", "microsoft_advertising_id", "microsoft_publisher_id",
                "roku_publisher_id", "roku_advertising_id")) {
            map.put(device, "device_id");
        }
        return Map.copyOf(map);
    }

    /** {@code GET /opendsr/v1/discovery}. */
    public RoleHandler discovery() {
        return (ctx, role) -> {
            final ObjectNode body = Json.lenient().createObjectNode().put("api_version", API_VERSION);
            final ArrayNode identities = body.putArray("supported_identities");
            NAMESPACES.entrySet().stream().filter(e -> vocabulary.namespaces().contains(e.getValue()))
                    .map(Map.Entry::getKey).sorted()
                    .forEach(type -> identities.addObject().put("identity_type", type).put("identity_format", "raw"));
            body.putArray("supported_subject_request_types").add("erasure");
            body.put("processor_certificate", base(ctx) + "/opendsr/v1/certificate.pem");
            sign(ctx, 200, body);
        };
    }

    /** {@code GET /opendsr/v1/certificate.pem} (public: whoever verifies Lethe's signatures fetches it). */
    public RoleHandler certificate() {
        return (ctx, role) -> ctx.contentType("application/x-pem-file").result(signer.get().pem());
    }

    /** {@code POST /opendsr/v1/requests}. */
    public RoleHandler file() {
        return (ctx, role) -> {
            final byte[] raw = JsonBody.readBounded(ctx);
            final JsonNode body = JsonBody.parse(raw, JsonNode.class);
            final String subjectRequestId = subjectRequestId(body.path("subject_request_id"));
            final String id = id(ctx, subjectRequestId);
            final ErasureRequested request = rules.validated(intake(body, subjectRequestId, role), id, rules.now(),
                    role);
            request.setOpendsr(new OpenDsrPortal(subjectRequestId, role.name(),
                    request.getRequestedAt().plus(EXPECTED).toString(), callbackUrls(body)));
            final IntakeRules.Answer known = rules.replayed(request);
            if (known == null) {
                final Written written = events.write(request);
                LOG.info("opendsr request {} received from {} at {}-{}@{}", id, role.name(), written.topic(),
                        written.partition(), written.offset());
            }
            final Instant received = known == null ? request.getRequestedAt()
                    : Instant.parse(LedgerJson.parse(ledger.request(id)).path("requestedAt").asText());
            final ObjectNode receipt = Json.lenient().createObjectNode().put("controller_id", role.name())
                    .put("expected_completion_time", received.plus(EXPECTED).toString())
                    .put("received_time", received.toString())
                    .put("encoded_request", Base64.getEncoder().encodeToString(raw))
                    .put("subject_request_id", subjectRequestId);
            sign(ctx, 201, receipt);
        };
    }

    /** {@code GET /opendsr/v1/requests/{subject_request_id}}. */
    public RoleHandler status() {
        return (ctx, role) -> {
            final String subjectRequestId = subjectRequestId(ctx.pathParam("subject_request_id"));
            final JsonNode request = LedgerJson.parse(ledger.request(id(ctx, subjectRequestId)));
            final Instant received = Instant.parse(request.path("requestedAt").asText());
            final ObjectNode body = Json.lenient().createObjectNode().put("controller_id", role.name())
                    .put("expected_completion_time", received.plus(EXPECTED).toString())
                    .put("subject_request_id", subjectRequestId)
                    .put("request_status", status(request.path("status").asText()))
                    .put("api_version", API_VERSION);
            sign(ctx, 200, body);
        };
    }

    /** {@code DELETE /opendsr/v1/requests/{subject_request_id}}: cancels a pending request. */
    public RoleHandler cancel() {
        return (ctx, role) -> {
            final String subjectRequestId = subjectRequestId(ctx.pathParam("subject_request_id"));
            final String id = id(ctx, subjectRequestId);
            final JsonNode request = LedgerJson.parse(ledger.request(id));
            if (!PENDING.contains(request.path("status").asText())) {
                throw ApiException.conflict("request " + subjectRequestId + " is "
                        + status(request.path("status").asText()) + "; only a pending request can be cancelled");
            }
            final Written written = events.write(new Decision(UUID.randomUUID().toString(), id, clock.instant(),
                    role.name(), new Cancelled("cancelled over OpenDSR by " + role.name())));
            confirmation.await(id, written);
            sign(ctx, 202, Json.lenient().createObjectNode().put("controller_id", role.name())
                    .put("subject_request_id", subjectRequestId).put("received_time", clock.instant().toString())
                    .put("api_version", API_VERSION));
        };
    }

    /** Lethe's status as an OpenDSR {@code request_status}. */
    static String status(String lethe) {
        return Statuses.ofLethe(lethe);
    }

    /**
     * The request's {@code status_callback_urls} (at most {@link #MAX_CALLBACK_URLS}), each on the
     * {@code LETHE_OPENDSR_PORTAL_HOSTS} allow-list; a 400 naming the first one that is not.
     */
    private List<String> callbackUrls(JsonNode body) {
        final JsonNode urls = body.path("status_callback_urls");
        if (urls.isMissingNode() || urls.isNull()) {
            return List.of();
        }
        if (!urls.isArray() || urls.size() > MAX_CALLBACK_URLS) {
            throw ApiException.badRequest("invalid_value", "status_callback_urls must be an array of at most "
                    + MAX_CALLBACK_URLS + " URLs", "status_callback_urls");
        }
        final List<String> list = new ArrayList<>();
        for (int i = 0; i < urls.size(); i++) {
            final String field = "status_callback_urls[" + i + "]";
            final JsonNode url = urls.get(i);
            if (!url.isTextual() || url.textValue().length() > MAX_CALLBACK_URL_LENGTH) {
                throw ApiException.badRequest("invalid_value", field + " must be a URL of at most "
                        + MAX_CALLBACK_URL_LENGTH + " characters", field);
            }
            final String refusal = portalHosts.refusal(url.textValue());
            if (refusal != null) {
                throw ApiException.badRequest("invalid_value", field + " is refused: " + refusal, field);
            }
            if (!list.contains(url.textValue())) {
                list.add(url.textValue());
            }
        }
        return list;
    }

    private void sign(Context ctx, int status, ObjectNode body) {
        signer.get().answer(ctx, status, body.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The Lethe id of the caller's {@code subject_request_id}. */
    private static String id(Context ctx, String subjectRequestId) {
        return UUID.nameUUIDFromBytes(("lethe-opendsr\n" + Guard.callerKey(ctx) + "\n" + subjectRequestId)
                .getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static String base(Context ctx) {
        final String url = ctx.url();
        return url.substring(0, url.indexOf(ctx.path()));
    }

    private static String subjectRequestId(JsonNode node) {
        if (!node.isTextual()) {
            throw ApiException.badRequest("missing_field", "subject_request_id is required (a UUID)",
                    "subject_request_id");
        }
        return subjectRequestId(node.textValue());
    }

    private static String subjectRequestId(String text) {
        if (text == null || !UUID_V4.matcher(text).matches()) {
            throw ApiException.badRequest("invalid_value", "subject_request_id must be a lower-case UUID",
                    "subject_request_id");
        }
        return text;
    }

    /** The intake body an OpenDSR request stands for; a 400 naming the OpenDSR field otherwise. */
    private ErasureRequestBody intake(JsonNode body, String subjectRequestId, Role role) {
        body.fieldNames().forEachRemaining(name -> {
            if (!FIELDS.contains(name)) {
                throw ApiException.badRequest("unknown_field", "unknown field " + name, name);
            }
        });
        if (!"erasure".equals(body.path("subject_request_type").asText())) {
            throw ApiException.badRequest("invalid_value", "subject_request_type must be erasure (Lethe erases; "
                    + "access and portability are not served)", "subject_request_type");
        }
        final String regulation = body.path("regulation").asText("gdpr").toLowerCase(Locale.ROOT);
        final String jurisdiction = switch (regulation) {
            case "gdpr" -> "GDPR";
            case "ccpa" -> "CCPA";
            default -> throw ApiException.badRequest("invalid_value", "regulation must be gdpr or ccpa", "regulation");
        };
        final JsonNode array = body.path("subject_identities");
        if (!array.isArray() || array.isEmpty()) {
            throw ApiException.badRequest("missing_field", "subject_identities must list at least one identity",
                    "subject_identities");
        }
        final List<ErasureRequestBody.IdentifierBody> identifiers = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            identifiers.add(identifier(array.get(i), "subject_identities[" + i + "]"));
        }
        return new ErasureRequestBody(identifiers.get(0), identifiers.subList(1, identifiers.size()), jurisdiction,
                "OpenDSR erasure request " + subjectRequestId, "opendsr:" + role.name(), null, null, null);
    }

    private ErasureRequestBody.IdentifierBody identifier(JsonNode node, String field) {
        final String type = node.path("identity_type").asText();
        final String namespace = NAMESPACES.get(type);
        if (namespace == null || !vocabulary.namespaces().contains(namespace)) {
            throw ApiException.badRequest("invalid_value", field + ".identity_type must be one of "
                    + String.join(", ", NAMESPACES.keySet().stream().sorted().toList()), field + ".identity_type");
        }
        if (!"raw".equals(node.path("identity_format").asText("raw"))) {
            throw ApiException.badRequest("invalid_value", field + ".identity_format must be raw: Lethe erases by "
                    + "the identifier itself, and a hash cannot be mapped back", field + ".identity_format");
        }
        final JsonNode value = node.path("identity_value");
        if (!value.isTextual() || value.textValue().isBlank()) {
            throw ApiException.badRequest("missing_field", field + ".identity_value is required",
                    field + ".identity_value");
        }
        return new ErasureRequestBody.IdentifierBody(namespace, value.textValue());
    }
}
