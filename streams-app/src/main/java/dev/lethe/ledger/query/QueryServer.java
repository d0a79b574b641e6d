package dev.lethe.ledger.query;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.lethe.avro.SubjectEntry;
import dev.lethe.avro.SystemRegistration;
import dev.lethe.ledger.executor.sql.SqlAdmin;
import dev.lethe.ledger.executor.sql.SqlProblem;
import dev.lethe.ledger.domain.RequestState;
import dev.lethe.schemas.config.InternalToken;
import dev.lethe.schemas.config.Secret;
import dev.lethe.schemas.systems.SystemsJson;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streams-app's internal HTTP endpoint, the interactive-query RPC layer the gateway reads
 * through:
 * <ul>
 *   <li>{@code GET /internal/v1/requests/{id}} (with {@code topic}, {@code partition}, {@code offset}
 *       and {@code waitMs}, waiting until the record just written has been applied; with
 *       {@code view=public}, the public view, marked by the {@value #VIEW_HEADER} header),
 *       {@code .../audit}, {@code .../certificate}: answered by the key's owner, forwarded once;</li>
 *   <li>{@code GET /internal/v1/requests} (lists) and {@code GET /internal/v1/stats}: fanned out
 *       to every instance with the partitions it owns, and merged (counts summed, each system's
 *       oldest open obligation the earliest);</li>
 *   <li>{@code POST /internal/v1/subjects/lookup}: answered by the owner of the subject key;
 *       {@code .../lookup-batch}: many subjects at once, each asked of its owner (one forwarded
 *       batch per owner);</li>
 *   <li>{@code GET /internal/v1/systems[/{name}]}, {@code GET /internal/health};</li>
 *   <li>{@code POST /internal/v1/sql/check} and {@code POST /internal/v1/systems/{name}/preview}: a SQL
 *       system's registration checked against its database, and its rows per table for one identifier
 *       (answered by this instance, when it holds the SQL secrets directory; else 503);</li>
 *   <li>{@code GET /livez} and {@code GET /readyz}, the orchestrator's probes ({@link Probes}),
 *       open without the secret and answered while starting too.</li>
 * </ul>
 * Whatever cannot be answered correctly right now (rebalancing, restoring, not yet applied)
 * gets 503 with Retry-After, never a wrong or partial answer.
 *
 * <p>A read of one request that names no write of its own ({@code GET /internal/v1/requests/{id}}
 * without {@code topic/partition/offset}) is answered from a standby copy when the key's owner
 * cannot answer (it cannot be reached, does not answer in time, or answers 503, e.g. while it
 * restores after a restart): this instance's copy if it keeps one, else another instance that does
 * ({@code ?standby=1}). Such an answer carries {@code X-Lethe-Stale: true}: the copy is the owner's
 * store as of a recent commit. A copy that does not hold the request answers from the ledger's
 * archive when the request was archived there ({@link LedgerQueries#findStandby}), else 503, never 404.
 * An instance without a copy of the key's partition never answers for it from its archive.
 *
 * <p>Every call but the probes ({@code GET /internal/health}, {@code /livez}, {@code /readyz}) must carry the internal secret
 * ({@link InternalToken}: {@code Authorization: Bearer <secret>}), which the gateway and the
 * other instances send; anything else is answered 401 {@code unauthorized}, and the presented
 * value is never logged. The instance sends the same secret when it forwards a call or fans out.
 *
 * <p>A server made by {@link #starting} opens its port before the ledger has started: until
 * {@link #serve} it answers every call (authenticated as above) 503 with {@code Retry-After}, and
 * {@code GET /internal/health} 503 {@code {"status": "STARTING", "state": "STARTING", "streams": "CREATED"}}.
 */
public final class QueryServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(QueryServer.class);
    private static final Duration MAX_WAIT = Duration.ofSeconds(30);
    private static final Duration FAN_OUT_TIMEOUT = Duration.ofSeconds(10);
    /** How many days (today included) of filed and finished counts {@code /internal/v1/stats} answers. */
    static final int DAYS_SHOWN = 90;
    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** {@code ?view=public} on a request read: the answer is the public view, without the internal fields. */
    static final String VIEW = "view";
    static final String PUBLIC_VIEW = "public";
    /**
     * The header that marks an answer as already public ({@value}: {@value #PUBLIC_VIEW}), so the gateway can relay
     * it byte for byte; an answer without it (an older ledger) the gateway still strips itself.
     */
    public static final String VIEW_HEADER = "Lethe-View";
    /** Writes a {@link RequestView} without its internal {@code fingerprint}: what {@code GET /v1/erasures/{id}} shows. */
    static final ObjectWriter PUBLIC_REQUEST = JSON.copy().addMixIn(RequestView.class, PublicRequest.class).writer();

    @JsonIgnoreProperties("fingerprint")
    private interface PublicRequest {
    }

    private static final String HEALTH = "/internal/health";
    /** Kubernetes-style probes, open like {@link #HEALTH} (no secret): see {@link Probes}. */
    static final String LIVEZ = "/livez";
    static final String READYZ = "/readyz";
    private static final String SUBJECTS_BATCH = "/internal/v1/subjects/lookup-batch";
    /** The most subjects one batch look-up takes (the gateway's batch intake holds at most 1,000). */
    static final int SUBJECTS_BATCH_MAX = 1_000;
    private static final String STARTING = "STARTING";
    private static final String FORWARDED = "forwarded";
    /** Asks an instance for its standby copy of a request ({@link LedgerQueries#findStandby}). */
    static final String STANDBY = "standby";
    /** Set ({@code true}) on an answer read from a standby copy, which may lag the owner by a commit or two. */
    public static final String STALE_HEADER = "X-Lethe-Stale";
    /** How long the owner of a key may take beyond the read's own waits before a standby copy is asked instead. */
    private static final Duration OWNER_GRACE = Duration.ofSeconds(2);

    /** A SQL system's registration checked against its database's metadata (issue 17). */
    static final String SQL_CHECK = "/internal/v1/sql/check";
    /** Rows per table a SQL system holds for one identifier, read only (issue 17). */
    static final String SQL_PREVIEW = "/internal/v1/systems/{name}/preview";

    private volatile LedgerQueries queries;
    private volatile SqlAdmin sqlAdmin;
    private volatile boolean serving;
    private final Probes probes = new Probes();
    private final Clock clock;
    private final Secret internalToken;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final Javalin app;

    /** A server that answers from {@code queries} as soon as it is started. */
    public QueryServer(LedgerQueries queries, Clock clock, Secret internalToken) {
        this(clock, internalToken);
        serve(queries);
    }

    /** A server that answers 503 with Retry-After until {@link #serve} gives it the ledger's queries. */
    public static QueryServer starting(Clock clock, Secret internalToken) {
        return new QueryServer(clock, internalToken);
    }

    private QueryServer(Clock clock, Secret internalToken) {
        this.clock = clock;
        this.internalToken = internalToken;
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.routes.before(this::authenticate);
            config.routes.before(this::holdWhileStarting);
            config.routes.before(this::holdWhileStopped);
            config.routes.get("/internal/v1/requests", this::list);
            config.routes.get("/internal/v1/requests/{id}", this::request);
            config.routes.get("/internal/v1/requests/{id}/audit", this::audit);
            config.routes.get("/internal/v1/requests/{id}/certificate", this::certificate);
            config.routes.post("/internal/v1/subjects/lookup", this::subject);
            config.routes.post(SUBJECTS_BATCH, this::subjects);
            config.routes.get("/internal/v1/systems", this::systems);
            config.routes.get("/internal/v1/systems/{name}", this::system);
            config.routes.get("/internal/v1/stats", this::stats);
            config.routes.post(SQL_CHECK, this::sqlCheck);
            config.routes.post(SQL_PREVIEW, this::sqlPreview);
            config.routes.get(HEALTH, this::health);
            config.routes.get(LIVEZ, ctx -> probe(ctx, probes.liveness()));
            config.routes.get(READYZ, ctx -> probe(ctx, probes.readiness()));
            config.routes.exception(ListQuery.BadQueryException.class,
                    (e, ctx) -> error(ctx, 400, "invalid_query", e.getMessage(), e.parameter()));
            config.routes.exception(StreamsException.class, (e, ctx) -> unavailable(ctx, e.getMessage()));
            config.routes.exception(IllegalStateException.class, this::stoppedMeanwhile);
            config.routes.exception(Unauthorized.class, (e, ctx) -> error(ctx, 401, "unauthorized",
                    "this endpoint answers Lethe's own services only: send the internal secret as a bearer token",
                    null));
        });
    }

    public QueryServer start(String host, int port) {
        app.start(host, port);
        return this;
    }

    /** Answers from {@code queries} from now on. */
    public QueryServer serve(LedgerQueries queries) {
        this.queries = queries;
        this.serving = true;
        return this;
    }

    public int port() {
        return app.port();
    }

    /** Answers the SQL check and preview from now on (an instance with {@code LETHE_SQL_SECRETS_DIR}). */
    public QueryServer sqlAdmin(SqlAdmin admin) {
        this.sqlAdmin = admin;
        return this;
    }

    /** Refused: the call does not carry the internal secret. */
    private static final class Unauthorized extends RuntimeException {
        Unauthorized() {
            super("the internal secret is missing or wrong", null, false, false);
        }
    }

    /** Lets through only calls that carry the internal secret (health probes excepted). */
    private void authenticate(Context ctx) {
        if (isProbe(ctx.path()) || InternalToken.carries(ctx.header(InternalToken.HEADER), internalToken)) {
            return;
        }
        // Not the path: a mistaken caller may have put an identifier in it.
        LOG.warn("refused a {} to the internal endpoint from {}: no valid internal secret", ctx.method().name(),
                ctx.ip());
        throw new Unauthorized();
    }

    /** Until {@link #serve}, every call is answered 503 with Retry-After. */
    private void holdWhileStarting(Context ctx) {
        if (serving || LIVEZ.equals(ctx.path()) || READYZ.equals(ctx.path())) {
            return;
        }
        if (HEALTH.equals(ctx.path())) {
            ctx.header("Retry-After", "1");
            json(ctx, 503, Map.of("status", STARTING, "state", STARTING, "streams", "CREATED"));
        } else {
            unavailable(ctx, "the ledger is starting");
        }
        ctx.skipRemainingHandlers();
    }

    private void request(Context ctx) throws InterruptedException {
        final String id = ctx.pathParam("id");
        if (ctx.queryParam(STANDBY) != null) {
            answerStale(ctx, id, queries.findStandby(id));
            return;
        }
        final Duration wait = Duration.ofMillis(Math.min(MAX_WAIT.toMillis(),
                Long.parseLong(ctx.queryParamAsClass("waitMs", String.class).getOrDefault("0"))));
        final LedgerQueries.Written written = written(ctx);
        final Lookup<RequestState> lookup = queries.find(id, written, wait);
        // A read that names no write of its own may be answered by a standby copy when the owner cannot answer.
        final boolean standbyAllowed = written == null && ctx.queryParam(FORWARDED) == null;
        if (lookup instanceof Lookup.Elsewhere<RequestState> elsewhere && ctx.queryParam(FORWARDED) == null) {
            final HttpResponse<String> owner = send(ctx, elsewhere.owner(), ctx.path(), forwardedParams(ctx),
                    wait.plus(Arrivals.WAIT).plus(OWNER_GRACE));
            if (owner != null && (owner.statusCode() != 503 || !standbyAllowed)) {
                relay(ctx, owner);
            } else if (!(standbyAllowed && fromStandby(ctx, id))) {
                if (owner != null) {
                    relay(ctx, owner);
                } else {
                    unavailable(ctx, "the instance that owns this key cannot be reached");
                }
            }
            return;
        }
        if (lookup instanceof Lookup.Unavailable<RequestState> && standbyAllowed && fromStandby(ctx, id)) {
            return;
        }
        answerRequest(ctx, id, lookup);
    }

    /** A request's view; without its fingerprint, and marked so, when the caller asks for the public view. */
    private void answerRequest(Context ctx, String id, Lookup<RequestState> lookup) throws InterruptedException {
        if (lookup instanceof Lookup.Found<RequestState> request && PUBLIC_VIEW.equals(ctx.queryParam(VIEW))) {
            ctx.header(VIEW_HEADER, PUBLIC_VIEW);
            write(ctx, 200, PUBLIC_REQUEST, RequestView.of(request.value(), clock.instant()));
            return;
        }
        answer(ctx, id, lookup, state -> RequestView.of(state, clock.instant()));
    }

    /**
     * Answers {@code id} from a standby copy, this instance's or another's, when the key's owner
     * cannot answer; false (nothing answered) when no copy holds the request.
     */
    private boolean fromStandby(Context ctx, String id) throws InterruptedException {
        final Lookup<RequestState> local = queries.findStandby(id);
        if (local instanceof Lookup.Found<RequestState>) {
            answerStale(ctx, id, local);
            return true;
        }
        for (HostInfo standby : queries.standbysOf(id)) {
            final HttpResponse<String> copy = send(ctx, standby, ctx.path(), standbyParams(ctx), FAN_OUT_TIMEOUT);
            if (copy != null && copy.statusCode() == 200) {
                relay(ctx, copy);
                return true;
            }
        }
        return false;
    }

    /** A standby copy's answer: the request with {@value #STALE_HEADER}, or 503 (a copy never says "not found"). */
    private void answerStale(Context ctx, String id, Lookup<RequestState> lookup) throws InterruptedException {
        if (lookup instanceof Lookup.Found<RequestState>) {
            LOG.debug("answered a read from a standby copy: its owner could not answer");
            ctx.header(STALE_HEADER, "true");
        }
        answerRequest(ctx, id, lookup);
    }

    private static LedgerQueries.Written written(Context ctx) {
        final String topic = ctx.queryParam("topic");
        final String partition = ctx.queryParam("partition");
        final String offset = ctx.queryParam("offset");
        if (topic == null || partition == null || offset == null) {
            return null;
        }
        try {
            return new LedgerQueries.Written(topic, Integer.parseInt(partition), Long.parseLong(offset));
        } catch (NumberFormatException e) {
            throw new ListQuery.BadQueryException("offset", "partition and offset must be numbers");
        }
    }

    private void audit(Context ctx) throws InterruptedException {
        final String id = ctx.pathParam("id");
        answer(ctx, id, queries.audit(id), facts -> facts.stream().map(AuditView::of).toList());
    }

    private void certificate(Context ctx) throws InterruptedException {
        final String id = ctx.pathParam("id");
        final Lookup<LedgerQueries.Evidence> evidence = queries.evidence(id);
        if (evidence instanceof Lookup.Found<LedgerQueries.Evidence> found) {
            final CertificateView.Refusal refusal = CertificateView.refusal(found.value().state());
            if (refusal != null) {
                error(ctx, 409, refusal.error(), refusal.message(), null);
                return;
            }
        }
        answer(ctx, id, evidence, e -> CertificateView.of(e.state(), e.trail(), clock.instant()));
    }

    private <T> void answer(Context ctx, String id, Lookup<T> lookup, Function<T, Object> view)
            throws InterruptedException {
        if (lookup instanceof Lookup.Found<T> found) {
            json(ctx, 200, view.apply(found.value()));
        } else if (lookup instanceof Lookup.NotFound<T>) {
            error(ctx, 404, "not_found", "no erasure request " + id, null);
        } else if (lookup instanceof Lookup.Unavailable<T> unavailable) {
            unavailable(ctx, unavailable.reason());
        } else if (lookup instanceof Lookup.Elsewhere<T> elsewhere) {
            forward(ctx, elsewhere.owner());
        }
    }

    /** Passes the call on to the owner of the key, once (a second hop means ownership is moving). */
    private void forward(Context ctx, HostInfo owner) throws InterruptedException {
        if (ctx.queryParam(FORWARDED) != null) {
            unavailable(ctx, "ownership of this key is moving");
            return;
        }
        final HttpResponse<String> answer = send(ctx, owner, ctx.path(), forwardedParams(ctx), MAX_WAIT.plusSeconds(5));
        if (answer == null) {
            unavailable(ctx, "the instance that owns this key cannot be reached");
        } else {
            relay(ctx, answer);
        }
    }

    /** What a standby copy is asked: the read, from its copy, in the view the caller asked for. */
    private static Map<String, String> standbyParams(Context ctx) {
        final Map<String, String> params = new LinkedHashMap<>();
        params.put(STANDBY, "1");
        final String view = ctx.queryParam(VIEW);
        if (view != null) {
            params.put(VIEW, view);
        }
        return params;
    }

    private static Map<String, String> forwardedParams(Context ctx) {
        final Map<String, String> params = new LinkedHashMap<>();
        ctx.queryParamMap().forEach((name, values) -> params.put(name, values.get(0)));
        params.put(FORWARDED, "1");
        return params;
    }

    /** The answer of {@code host} to this call (its method and body) on {@code path}, or null when it cannot be reached. */
    private HttpResponse<String> send(Context ctx, HostInfo host, String path, Map<String, String> params,
                                      Duration timeout) throws InterruptedException {
        final HttpRequest.Builder request = HttpRequest.newBuilder(uri(host, path, params))
                .header(InternalToken.HEADER, InternalToken.headerValue(internalToken))
                .timeout(timeout);
        if ("POST".equals(ctx.method().name())) {
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(ctx.body()));
        } else {
            request.GET();
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            LOG.warn("cannot forward a query to {}:{}: {}", host.host(), host.port(), e.getMessage());
            return null;
        }
    }

    private static void relay(Context ctx, HttpResponse<String> answer) {
        answer.headers().firstValue("Retry-After").ifPresent(value -> ctx.header("Retry-After", value));
        answer.headers().firstValue(STALE_HEADER).ifPresent(value -> ctx.header(STALE_HEADER, value));
        answer.headers().firstValue(VIEW_HEADER).ifPresent(value -> ctx.header(VIEW_HEADER, value));
        ctx.status(answer.statusCode()).contentType("application/json").result(answer.body());
    }

    private void list(Context ctx) {
        final ListQuery query = ListQuery.parse(ctx.queryParamMap());
        final Set<Integer> mine = partitions(ctx);
        if (mine != null) {
            json(ctx, 200, queries.localList(query, mine, clock.instant()));
            return;
        }
        final List<ListPage> parts = fanOut(ctx, query.toParams(),
                partitions -> queries.localList(query, partitions, clock.instant()), ListPage.class);
        if (parts == null) {
            return;
        }
        // the released requests: once per list, after the task stores' parts (which win a request in both)
        parts.add(queries.archiveList(query, clock.instant()));
        final ListPage page = ListPage.merge(parts, query.limit());
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", page.items().stream().map(ListPage.Entry::request).toList());
        body.put("next", page.next() == null ? null : query.cursor(page.next()));
        json(ctx, 200, body);
    }

    /** One instance's counts, as it answers a fan-out. */
    record LocalStats(String server, String state, Map<String, Long> counts, Map<String, OldestObligation> oldest) {
    }

    private void stats(Context ctx) {
        final Set<Integer> mine = partitions(ctx);
        if (mine != null) {
            json(ctx, 200, localStats(mine));
            return;
        }
        final List<LocalStats> parts = fanOut(ctx, Map.of(), this::localStats, LocalStats.class);
        if (parts == null) {
            return;
        }
        final Map<String, Long> byStatus = new TreeMap<>();
        final Map<String, Long> owed = new TreeMap<>();
        final Map<String, Long> attention = new TreeMap<>();
        long overdue = 0;
        long needsAttention = 0;
        long dueSoon = 0;
        final Map<String, Long> filedByDay = new TreeMap<>();
        final Map<String, Map<String, Long>> finishedByDay = new TreeMap<>();
        final Map<String, Map<String, Long>> answers = new TreeMap<>();
        final Map<String, OldestObligation> oldest = new TreeMap<>();
        final String firstDay = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).minusDays(DAYS_SHOWN - 1).toString();
        final List<Map<String, String>> instances = new ArrayList<>();
        for (LocalStats part : parts) {
            instances.add(Map.of("server", part.server(), "state", part.state()));
            OldestObligation.mergeInto(oldest, part.oldest());
            for (Map.Entry<String, Long> count : part.counts().entrySet()) {
                if (count.getKey().startsWith("answered|") || count.getKey().startsWith("answerSeconds|")) {
                    final int bar = count.getKey().indexOf('|');
                    answers.computeIfAbsent(count.getKey().substring(bar + 1), system -> new TreeMap<>())
                            .merge(count.getKey().substring(0, bar), count.getValue(), Long::sum);
                } else if (count.getKey().startsWith("filed|") || count.getKey().startsWith("finished|")) {
                    byDay(count.getKey(), count.getValue(), firstDay, filedByDay, finishedByDay);
                } else if (count.getKey().equals(LocalScans.DUE_SOON)) {
                    dueSoon += count.getValue();
                } else if (count.getKey().startsWith("status|")) {
                    byStatus.merge(count.getKey().substring("status|".length()), count.getValue(), Long::sum);
                } else if (count.getKey().startsWith("owed|")) {
                    owed.merge(count.getKey().substring("owed|".length()), count.getValue(), Long::sum);
                } else if (count.getKey().equals("overdue")) {
                    overdue += count.getValue();
                } else if (count.getKey().startsWith("attention|")) {
                    attention.merge(count.getKey().substring("attention|".length()), count.getValue(), Long::sum);
                } else if (count.getKey().equals("attention")) {
                    needsAttention += count.getValue();
                }
            }
        }
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("byStatus", byStatus);
        body.put("overdue", overdue);
        body.put("pendingBySystem", owed);
        body.put("needsAttention", needsAttention);
        body.put("attention", attention);
        body.put("dueSoon", dueSoon);
        body.put("filedByDay", filedByDay);
        body.put("finishedByDay", finishedByDay);
        body.put("answersBySystem", answers);
        body.put("oldestBySystem", oldest);
        body.put("instances", instances);
        json(ctx, 200, body);
    }

    /**
     * Adds one day's count ({@code filed|<day>} or {@code finished|<status>|<day>}) to the daily
     * figures, when the day is no earlier than {@code firstDay} (ISO dates sort as text).
     */
    private static void byDay(String key, long count, String firstDay, Map<String, Long> filed,
                              Map<String, Map<String, Long>> finished) {
        final String day = key.substring(key.lastIndexOf('|') + 1);
        if (day.compareTo(firstDay) < 0) {
            return;
        }
        if (key.startsWith("filed|")) {
            filed.merge(day, count, Long::sum);
        } else {
            final String status = key.substring("finished|".length(), key.lastIndexOf('|'));
            finished.computeIfAbsent(day, d -> new TreeMap<>()).merge(status, count, Long::sum);
        }
    }

    private LocalStats localStats(Set<Integer> partitions) {
        return new LocalStats(queries.self().host() + ":" + queries.self().port(), queries.state().name(),
                queries.localStats(partitions, clock.instant()), queries.localOldestOwed(partitions));
    }

    /**
     * Asks every instance for its part over the partitions it owns (this one directly), or
     * answers 503 and returns null when any part cannot be had.
     */
    private <T> List<T> fanOut(Context ctx, Map<String, String> params, Function<Set<Integer>, T> local,
                               Class<T> type) {
        final Lookup<Map<HostInfo, Set<Integer>>> owners = queries.owners();
        if (!(owners instanceof Lookup.Found<Map<HostInfo, Set<Integer>>> found)) {
            unavailable(ctx, ((Lookup.Unavailable<?>) owners).reason());
            return null;
        }
        final List<CompletableFuture<HttpResponse<String>>> remote = new ArrayList<>();
        final List<T> parts = new ArrayList<>();
        for (Map.Entry<HostInfo, Set<Integer>> owner : found.value().entrySet()) {
            if (owner.getKey().equals(queries.self())) {
                parts.add(local.apply(owner.getValue()));
            } else {
                final Map<String, String> withPartitions = new LinkedHashMap<>(params);
                withPartitions.put("partitions", owner.getValue().stream().map(String::valueOf)
                        .collect(Collectors.joining(",")));
                remote.add(http.sendAsync(HttpRequest.newBuilder(uri(owner.getKey(), ctx.path(), withPartitions))
                        .header(InternalToken.HEADER, InternalToken.headerValue(internalToken))
                        .timeout(FAN_OUT_TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString()));
            }
        }
        for (CompletableFuture<HttpResponse<String>> call : remote) {
            try {
                final HttpResponse<String> answer = call.get(FAN_OUT_TIMEOUT.toMillis() + 1_000, TimeUnit.MILLISECONDS);
                if (answer.statusCode() != 200) {
                    unavailable(ctx, "an instance answered " + answer.statusCode() + " for its part");
                    return null;
                }
                parts.add(JSON.readValue(answer.body(), type));
            } catch (ExecutionException | TimeoutException | IOException e) {
                unavailable(ctx, "an instance could not be asked for its part: " + e.getMessage());
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                unavailable(ctx, "interrupted");
                return null;
            }
        }
        return parts;
    }

    private static Set<Integer> partitions(Context ctx) {
        final String value = ctx.queryParam("partitions");
        if (value == null) {
            return null;
        }
        final Set<Integer> partitions = new TreeSet<>();
        for (String part : value.split(",")) {
            try {
                partitions.add(Integer.parseInt(part.trim()));
            } catch (NumberFormatException e) {
                throw new ListQuery.BadQueryException("partitions", "partitions must be a comma-separated list of numbers");
            }
        }
        return partitions;
    }

    private void subject(Context ctx) throws InterruptedException {
        final JsonNode body;
        try {
            body = JSON.readTree(ctx.body());
        } catch (IOException e) {
            error(ctx, 400, "malformed_json", "the body is not JSON", null);
            return;
        }
        final String namespace = body == null ? "" : body.path("namespace").asText("");
        final String value = body == null ? "" : body.path("value").asText("");
        if (namespace.isBlank() || value.isBlank()) {
            error(ctx, 400, "invalid_field", "namespace and value are required",
                    namespace.isBlank() ? "namespace" : "value");
            return;
        }
        final LedgerQueries.Subject subject;
        try {
            subject = queries.subject(namespace, value);
        } catch (IllegalArgumentException e) {
            error(ctx, 400, "invalid_field", e.getMessage(), "value");
            return;
        }
        answer(ctx, "", subject.entries(), entries -> SubjectView.of(subject.subjectKey(), entries));
    }

    /** One subject of a batch look-up, as asked. */
    record SubjectQuery(String namespace, String value) {
    }

    /** A batch look-up: its subjects, and what each one found (a {@link SubjectView}, or null when unavailable). */
    record SubjectsBatch(List<SubjectQuery> subjects) {
    }

    /** The answer to a batch look-up, in the order asked: a view per subject, null where none can be had now. */
    record SubjectsFound(List<SubjectView> results) {
    }

    /**
     * {@code POST /internal/v1/subjects/lookup-batch}: many subjects at once (the gateway's batch
     * intake), each answered as {@code /lookup} would, in order; subjects owned by another instance
     * are asked of it in one forwarded batch each. A subject that cannot be answered now (its owner
     * moving or unreachable, a forwarded call that lands elsewhere again) is {@code null}: the
     * caller files it without duplicate detection, as it does on a 503 from {@code /lookup}.
     */
    private void subjects(Context ctx) throws InterruptedException {
        final SubjectsBatch batch;
        try {
            batch = JSON.readValue(ctx.body(), SubjectsBatch.class);
        } catch (IOException e) {
            error(ctx, 400, "malformed_json", "the body is not a batch of subjects", null);
            return;
        }
        if (batch == null || batch.subjects() == null || batch.subjects().size() > SUBJECTS_BATCH_MAX) {
            error(ctx, 400, "invalid_field", "subjects must be a list of at most " + SUBJECTS_BATCH_MAX, "subjects");
            return;
        }
        final List<SubjectQuery> asked = batch.subjects();
        final SubjectView[] found = new SubjectView[asked.size()];
        final Map<HostInfo, List<Integer>> elsewhere = new LinkedHashMap<>();
        for (int i = 0; i < asked.size(); i++) {
            final SubjectQuery query = asked.get(i);
            if (query == null || query.namespace() == null || query.value() == null || query.namespace().isBlank()
                    || query.value().isBlank()) {
                error(ctx, 400, "invalid_field", "every subject needs a namespace and a value", "subjects");
                return;
            }
            final LedgerQueries.Subject subject;
            try {
                subject = queries.subject(query.namespace(), query.value());
            } catch (IllegalArgumentException e) {
                error(ctx, 400, "invalid_field", e.getMessage(), "subjects");
                return;
            }
            if (subject.entries() instanceof Lookup.Found<List<SubjectEntry>> entries) {
                found[i] = SubjectView.of(subject.subjectKey(), entries.value());
            } else if (subject.entries() instanceof Lookup.Elsewhere<List<SubjectEntry>> owner
                    && ctx.queryParam(FORWARDED) == null) {
                elsewhere.computeIfAbsent(owner.owner(), o -> new ArrayList<>()).add(i);
            }
        }
        for (Map.Entry<HostInfo, List<Integer>> owner : elsewhere.entrySet()) {
            askOwner(owner.getKey(), owner.getValue().stream().map(asked::get).toList(), owner.getValue(), found);
        }
        json(ctx, 200, new SubjectsFound(java.util.Arrays.asList(found)));
    }

    /** Asks {@code owner} for the subjects at {@code positions} in one forwarded batch; what it cannot answer stays null. */
    private void askOwner(HostInfo owner, List<SubjectQuery> subjects, List<Integer> positions, SubjectView[] found)
            throws InterruptedException {
        try {
            final HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                            uri(owner, SUBJECTS_BATCH, Map.of(FORWARDED, "1")))
                    .header(InternalToken.HEADER, InternalToken.headerValue(internalToken))
                    .header("Content-Type", "application/json").timeout(FAN_OUT_TIMEOUT)
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(new SubjectsBatch(subjects))))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                LOG.warn("{}:{} answered {} to a batch look-up", owner.host(), owner.port(), answer.statusCode());
                return;
            }
            final List<SubjectView> views = JSON.readValue(answer.body(), SubjectsFound.class).results();
            for (int j = 0; j < positions.size() && j < views.size(); j++) {
                found[positions.get(j)] = views.get(j);
            }
        } catch (IOException e) {
            LOG.warn("cannot forward a batch look-up to {}:{}: {}", owner.host(), owner.port(), e.getMessage());
        }
    }

    private void systems(Context ctx) {
        final ArrayNode array = JSON.createArrayNode();
        queries.systems().forEach(system -> array.add(SystemsJson.toJson(system)));
        ctx.contentType("application/json").result(array.toString());
    }

    private void system(Context ctx) {
        final String name = ctx.pathParam("name");
        queries.systems().stream().filter(system -> system.getName().equals(name)).findFirst().ifPresentOrElse(
                system -> ctx.contentType("application/json").result(SystemsJson.toJson(system).toString()),
                () -> error(ctx, 404, "not_found", "no system " + name, null));
    }

    /** {@code POST /internal/v1/sql/check}: the body is a registration (with its name); 200 or 400 naming the field. */
    private void sqlCheck(Context ctx) {
        final SqlAdmin admin = sqlAdminOrAnswer(ctx);
        if (admin == null) {
            return;
        }
        final SystemRegistration registration;
        try {
            final JsonNode body = JSON.readTree(ctx.body());
            registration = SystemsJson.fromJson(body.path("name").asText(""), body);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            error(ctx, 400, "invalid_body", "the body must be a valid registration: " + e.getMessage(), null);
            return;
        }
        if (registration.getSql() == null) {
            error(ctx, 400, "invalid_value", "only a system of mode sql can be checked", "mode");
            return;
        }
        try {
            admin.check(registration);
            json(ctx, 200, Map.of("name", registration.getName(), "fits", true));
        } catch (SqlProblem e) {
            error(ctx, 400, "unknown_schema_object", e.getMessage(), e.field());
        } catch (java.sql.SQLException e) {
            error(ctx, 400, "database_unreachable", "the database named by sql.jdbcUrl could not be checked: "
                    + SqlAdmin.reason(e), "sql.jdbcUrl");
        }
    }

    /** {@code POST /internal/v1/systems/{name}/preview} with {@code {"namespace", "value"}}: rows per table. */
    private void sqlPreview(Context ctx) {
        final SqlAdmin admin = sqlAdminOrAnswer(ctx);
        if (admin == null) {
            return;
        }
        final String name = ctx.pathParam("name");
        final SystemRegistration system = queries.systems().stream().filter(s -> s.getName().equals(name))
                .findFirst().orElse(null);
        if (system == null) {
            error(ctx, 404, "not_found", "no system " + name, null);
            return;
        }
        if (system.getSql() == null) {
            error(ctx, 409, "not_sql", "system " + name + " is not of mode sql; only its rows can be previewed", null);
            return;
        }
        final JsonNode body;
        try {
            body = JSON.readTree(ctx.body());
        } catch (JsonProcessingException e) {
            error(ctx, 400, "invalid_body", "the body must be {\"namespace\", \"value\"}", null);
            return;
        }
        try {
            final Map<String, Long> tables = admin.preview(system, body.path("namespace").asText(""),
                    body.path("value").asText(""));
            final Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("system", name);
            answer.put("namespace", body.path("namespace").asText(""));
            answer.put("tables", tables);
            answer.put("total", tables.values().stream().mapToLong(Long::longValue).sum());
            json(ctx, 200, answer);
        } catch (SqlProblem e) {
            error(ctx, 409, "unknown_schema_object", e.getMessage(), e.field());
        } catch (java.sql.SQLException e) {
            ctx.header("Retry-After", "30");
            error(ctx, 503, "database_unreachable", "the system's database could not be read: "
                    + SqlAdmin.reason(e), null);
        }
    }

    private SqlAdmin sqlAdminOrAnswer(Context ctx) {
        final SqlAdmin admin = sqlAdmin;
        if (admin == null) {
            ctx.header("Retry-After", "30");
            error(ctx, 503, "sql_not_configured", "this ledger instance has no LETHE_SQL_SECRETS_DIR, so it cannot "
                    + "reach SQL systems' databases", null);
        }
        return admin;
    }

    private static boolean isProbe(String path) {
        return HEALTH.equals(path) || LIVEZ.equals(path) || READYZ.equals(path);
    }

    /** The liveness and readiness of this instance ({@code /livez}, {@code /readyz}). */
    public Probes probes() {
        return probes;
    }

    private static void probe(Context ctx, Probes.Answer answer) {
        if (answer.status() != 200) {
            ctx.header("Retry-After", "1");
        }
        json(ctx, answer.status(), answer.body());
    }

    private void health(Context ctx) {
        final boolean up = queries.running();
        json(ctx, up ? 200 : 503, Map.of("status", up ? "UP" : "DOWN", "state", queries.state().name(),
                "streams", queries.state().name()));
    }

    /**
     * Once serving, a ledger whose stream processing has stopped (its Kafka Streams client in
     * ERROR after a fatal error, or shutting down) answers every query 503 with Retry-After and its
     * health 503: a 500 would make the gateway neither retry nor ask the other instance.
     */
    private void holdWhileStopped(Context ctx) {
        if (!serving || queries == null || isProbe(ctx.path()) || queries.state().isRunningOrRebalancing()) {
            return;
        }
        unavailable(ctx, "its stream processing is " + queries.state());
        ctx.skipRemainingHandlers();
    }

    /** Kafka Streams refuses a store once it has stopped: if it stopped during this call, a 503 as above. */
    private void stoppedMeanwhile(IllegalStateException e, Context ctx) {
        if (queries != null && !queries.state().isRunningOrRebalancing()) {
            unavailable(ctx, "its stream processing is " + queries.state());
            return;
        }
        LOG.error("a query failed", e);
        error(ctx, 500, "internal", "the ledger failed to answer", null);
    }

    private static URI uri(HostInfo host, String path, Map<String, String> params) {
        final StringBuilder target = new StringBuilder("http://").append(host.host()).append(':')
                .append(host.port()).append(path);
        char separator = '?';
        for (Map.Entry<String, String> param : params.entrySet()) {
            target.append(separator).append(URLEncoder.encode(param.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(param.getValue(), StandardCharsets.UTF_8));
            separator = '&';
        }
        return URI.create(target.toString());
    }

    private static void unavailable(Context ctx, String reason) {
        ctx.header("Retry-After", "1");
        error(ctx, 503, "unavailable", "the ledger cannot answer right now, try again: " + reason, null);
    }

    private static void error(Context ctx, int status, String code, String message, String field) {
        final Map<String, String> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("message", message);
        if (field != null) {
            body.put("field", field);
        }
        json(ctx, status, body);
    }

    private static void json(Context ctx, int status, Object body) {
        write(ctx, status, JSON.writer(), body);
    }

    private static void write(Context ctx, int status, ObjectWriter writer, Object body) {
        try {
            ctx.status(status).contentType("application/json").result(writer.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    @Override
    public void close() {
        app.stop();
    }
}
