package dev.lethe.gateway;

import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import static io.javalin.http.HandlerType.PUT;

import dev.lethe.gateway.api.OpenApiDocument;
import dev.lethe.gateway.api.Shapes;
import dev.lethe.gateway.console.ConsoleAssets;
import dev.lethe.gateway.console.MeHandler;
import dev.lethe.gateway.console.StatsHandler;
import dev.lethe.gateway.erasure.BatchBody;
import dev.lethe.gateway.erasure.BatchIntakeHandler;
import dev.lethe.gateway.erasure.BulkRetryHandler;
import dev.lethe.gateway.erasure.CallbackBody;
import dev.lethe.gateway.erasure.CallbackHandler;
import dev.lethe.gateway.erasure.IdentifiersHandler;
import dev.lethe.gateway.erasure.OpenBody;
import dev.lethe.gateway.erasure.Confirmation;
import dev.lethe.gateway.erasure.DecisionHandler;
import dev.lethe.gateway.erasure.DecisionHandler.Kind;
import dev.lethe.gateway.erasure.ErasureRequestBody;
import dev.lethe.gateway.erasure.IntakeHandler;
import dev.lethe.gateway.erasure.LedgerReadHandler;
import dev.lethe.gateway.erasure.ListHandler;
import dev.lethe.gateway.erasure.OpenDsrIntake;
import dev.lethe.gateway.erasure.StatusHandler;
import dev.lethe.gateway.http.Access;
import dev.lethe.gateway.http.Guard;
import dev.lethe.gateway.http.Route;
import dev.lethe.gateway.http.StartupGate;
import dev.lethe.gateway.opendsr.ProcessorCallbackHandler;
import dev.lethe.gateway.ops.GatewayMetrics;
import dev.lethe.gateway.subjects.SubjectHandler;
import dev.lethe.gateway.systems.SystemsHandler;
import io.javalin.http.ContentType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The route table of the public API: every route declared once with its method, path, access,
 * summary and body types. {@link GatewayApp} registers the handlers from it and
 * {@code /openapi.json} is generated from it.
 */
public final class GatewayRoutes {

    static final String API_VERSION = "1";
    private GatewayRoutes() {
    }

    /** Every route, built over {@code c}; {@code metrics} serves {@code /metrics}. */
    public static List<Route> of(GatewayApp.Collaborators c, Guard guard, GatewayMetrics metrics) {
        final Confirmation confirmation = new Confirmation(c.ledger(), c.confirmWait());
        final List<Route> routes = new ArrayList<>();
        operations(routes, c, metrics);
        erasures(routes, c);
        decisions(routes, c, confirmation);
        routes.add(Route.of(POST, "/v1/erasures/{id}/systems/{system}/callback", Access.PARTNER,
                        "Report a system's outcome for a request",
                        new CallbackHandler(guard, c.events(), c.ledger(), confirmation, c.clock(), c.keys()))
                .withBody(CallbackBody.class, false).answering(202, CallbackHandler.Accepted.class, false)
                .errors(400, 404, 409, 503));
        routes.add(Route.of(POST, "/v1/erasures/{id}/systems/{system}/identifiers", Access.PARTNER,
                        "Open the sealed identifiers of an erasure event, while the system's obligation is open",
                        new IdentifiersHandler(guard, c.ledger(), c.keys()))
                .withBody(OpenBody.class, false).answering(200, IdentifiersHandler.Opened.class, false)
                .errors(400, 404, 409, 410, 503));
        systems(routes, c);
        openDsr(routes, c, confirmation);
        routes.add(Route.of(GET, "/v1/subjects/{namespace}/{value}", Access.SUBMITTER,
                        "Whether a subject was erased (the re-ingestion guard)",
                        new SubjectHandler(c.ledger(), c.vocabulary()))
                .answering(200, SubjectHandler.Subject.class, false).errors(400, 503));
        console(routes, c);
        final AtomicReference<String> document = new AtomicReference<>();
        routes.add(Route.of(GET, "/openapi.json", Access.PUBLIC, "This API as OpenAPI 3, generated from the route table",
                        (ctx, role) -> ctx.contentType(ContentType.APPLICATION_JSON).result(document.get()))
                .answering(200, Object.class, false));
        final List<Route> all = List.copyOf(routes);
        document.set(OpenApiDocument.of(all, API_VERSION).toPrettyString());
        return all;
    }

    /** OpenDSR: processors' signed callbacks, and Lethe as a processor for privacy portals (docs/opendsr.md). */
    private static void openDsr(List<Route> routes, GatewayApp.Collaborators c, Confirmation confirmation) {
        routes.add(Route.of(POST, "/opendsr/v1/callbacks/{system}/{id}", Access.PUBLIC,
                        "An OpenDSR processor's signed status callback (no token: the signature is checked first)",
                        new ProcessorCallbackHandler(c.events(), c.ledger(), confirmation, c.opendsr().processors(),
                                c.clock()))
                .answering(202, ProcessorCallbackHandler.Accepted.class, false).alsoAnswering(200)
                .errors(400, 403, 404, 503));
        final OpenDsrIntake intake = new OpenDsrIntake(c.events(), c.ledger(), c.vocabulary(), c.opendsr()::signer,
                confirmation, c.clock(), c.opendsr().portalHosts());
        routes.add(Route.of(GET, "/opendsr/v1/discovery", Access.SUBMITTER,
                "Lethe as an OpenDSR processor: its discovery document (signed)", intake.discovery())
                .answering(200, Object.class, false));
        routes.add(Route.of(GET, "/opendsr/v1/certificate.pem", Access.PUBLIC,
                "The certificate Lethe signs its OpenDSR answers with (PEM)", intake.certificate())
                .answering(200, String.class, false));
        routes.add(Route.of(POST, "/opendsr/v1/requests", Access.SUBMITTER,
                "File an erasure request in OpenDSR form; the same subject_request_id again answers the first receipt",
                intake.file()).withBody(Object.class, false).answering(201, Object.class, false)
                .errors(400, 422, 503));
        routes.add(Route.of(GET, "/opendsr/v1/requests/{subject_request_id}", Access.SUBMITTER,
                "The OpenDSR status of a request filed over OpenDSR (signed)", intake.status())
                .answering(200, Object.class, false).errors(400, 404, 503));
        routes.add(Route.of(DELETE, "/opendsr/v1/requests/{subject_request_id}", Access.SUBMITTER,
                "Cancel a request filed over OpenDSR while it is pending (signed)", intake.cancel())
                .answering(202, Object.class, false).errors(400, 404, 409, 503));
    }

    private static void operations(List<Route> routes, GatewayApp.Collaborators c, GatewayMetrics metrics) {
        final ConsoleAssets console = ConsoleAssets.load();
        routes.add(Route.of(GET, "/", Access.PUBLIC, "The web console (asks for a token in the browser)",
                console.page()).answering(200, String.class, false));
        routes.add(Route.of(GET, "/console/{asset}", Access.PUBLIC, "The web console's script and style sheet",
                console.asset()).answering(200, String.class, false).errors(404));
        routes.add(Route.of(GET, "/health", Access.PUBLIC, "Readiness: the ledger runs and the broker is reachable",
                new HealthHandler(c.ledger(), c.broker())).answering(200, HealthHandler.Health.class, false)
                .alsoAnswering(503));
        routes.add(Route.of(GET, StartupGate.LIVEZ, Access.PUBLIC,
                "Liveness: the process answers (200 while starting too)",
                (ctx, role) -> ctx.json(new HealthHandler.Health("UP", Map.of())))
                .answering(200, HealthHandler.Health.class, false));
        routes.add(Route.of(GET, StartupGate.READYZ, Access.PUBLIC,
                "Readiness, as /health: the ledger runs and the broker is reachable (503 while starting)",
                new HealthHandler(c.ledger(), c.broker())).answering(200, HealthHandler.Health.class, false)
                .alsoAnswering(503));
        routes.add(Route.of(GET, "/metrics", Access.PUBLIC, "Prometheus metrics",
                (ctx, role) -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()))
                .answering(200, String.class, false));
    }

    private static void erasures(List<Route> routes, GatewayApp.Collaborators c) {
        routes.add(Route.of(POST, "/v1/erasures", Access.SUBMITTER,
                        "File an erasure request (optional Idempotency-Key header)",
                        new IntakeHandler(c.events(), c.ledger(), c.vocabulary(), c.clock()))
                .withBody(ErasureRequestBody.class, false).answering(202, IntakeHandler.Accepted.class, false)
                .errors(400, 422, 503));
        routes.add(Route.of(POST, "/v1/erasures/batch", Access.SUBMITTER,
                        "File up to 1,000 requests at once, each validated and answered on its own, in order "
                                + "(optional idempotencyKey per item)",
                        new BatchIntakeHandler(c.events(), c.ledger(), c.vocabulary(), c.clock()))
                .withBody(BatchBody.class, false).answering(200, BatchIntakeHandler.Accepted.class, false)
                .errors(400, 413, 503));
        routes.add(Route.of(GET, "/v1/erasures", Access.ANY_ROLE, "List requests, newest first, cluster-wide",
                        new ListHandler(c.ledger()))
                .withQuery("status", "system", "systemStatus", "overdue", "field", "from", "to", "limit", "cursor",
                        "attention")
                .answering(200, Shapes.Page.class, false).errors(400, 503));
        routes.add(Route.of(POST, "/v1/erasures/retry", Access.APPROVER,
                        "Retry the FAILED systems of every matching request (at most 10,000 a call)",
                        new BulkRetryHandler(c.events(), c.ledger(), c.clock(), BulkRetryHandler.MAX_PER_CALL))
                .withBody(BulkRetryHandler.Filter.class, true)
                .answering(202, BulkRetryHandler.Accepted.class, false).errors(400, 503));
        routes.add(Route.of(GET, "/v1/erasures/{id}", Access.ANY_ROLE, "A request's status",
                new StatusHandler(c.ledger())).answering(200, Shapes.RequestView.class, false).errors(404, 503));
        routes.add(Route.of(GET, "/v1/erasures/{id}/audit", Access.ANY_ROLE, "A request's audit trail, oldest first",
                new LedgerReadHandler(c.ledger()::audit)).answering(200, Shapes.AuditEntry.class, true)
                .errors(404, 503));
        routes.add(Route.of(GET, "/v1/erasures/{id}/certificate", Access.ANY_ROLE,
                        "The certificate of erasure of a finished request: every system's outcome, evidence, "
                                + "timestamps and actors, and the head of the audit hash chain",
                        new LedgerReadHandler(c.ledger()::certificate))
                .answering(200, Object.class, false).errors(404, 409, 503));
    }

    private static void decisions(List<Route> routes, GatewayApp.Collaborators c, Confirmation confirmation) {
        decision(routes, c, confirmation, "/v1/erasures/{id}/approve", Kind.APPROVE, "Approve a pending request");
        decision(routes, c, confirmation, "/v1/erasures/{id}/reject", Kind.REJECT, "Reject a request before dispatch");
        decision(routes, c, confirmation, "/v1/erasures/{id}/cancel", Kind.CANCEL,
                "Cancel a request before dispatch, or an unrouted one, with a reason");
        decision(routes, c, confirmation, "/v1/erasures/{id}/extend", Kind.EXTEND,
                "Extend an unfinished request's deadline");
        decision(routes, c, confirmation, "/v1/erasures/{id}/retry", Kind.RETRY_FAILED,
                "Retry every FAILED system of a request, or route an unrouted one again (409 while still none)");
        decision(routes, c, confirmation, "/v1/erasures/{id}/systems/{system}/retry", Kind.RETRY_SYSTEM,
                "Retry one FAILED system of a request");
        decision(routes, c, confirmation, "/v1/erasures/{id}/acknowledge", Kind.ACKNOWLEDGE,
                "Acknowledge a contradicting callback, with a reason: clears the CONTRADICTED flag");
        decision(routes, c, confirmation, "/v1/erasures/{id}/systems/{system}/replay", Kind.REPLAY,
                "Send a COMPLETED request again to a system it targeted, restored from a backup (lethe replay): "
                        + "a new obligation, audited REPLAYED");
        decision(routes, c, confirmation, "/v1/erasures/{id}/systems/{system}/cover", Kind.COVER,
                "Send a COMPLETED request to a system registered later that holds its namespaces (lethe cover): "
                        + "a new obligation, audited COVERED");
    }

    private static void decision(List<Route> routes, GatewayApp.Collaborators c, Confirmation confirmation,
                                 String path, Kind kind, String summary) {
        final boolean optional = kind == Kind.APPROVE || kind == Kind.RETRY_FAILED || kind == Kind.RETRY_SYSTEM
                || kind == Kind.REPLAY || kind == Kind.COVER;
        routes.add(Route.of(POST, path, Access.APPROVER, summary,
                        new DecisionHandler(kind, c.events(), c.ledger(), confirmation, c.clock()))
                .withBody(DecisionHandler.bodyOf(kind), optional)
                .answering(202, DecisionHandler.Accepted.class, false).errors(400, 404, 409, 503));
    }

    private static void systems(List<Route> routes, GatewayApp.Collaborators c) {
        final SystemsHandler systems = new SystemsHandler(c.events(), c.ledger(), c.vocabulary(), c.confirmWait());
        routes.add(Route.of(GET, "/v1/systems", Access.ANY_ROLE, "The registered systems", systems.list())
                .answering(200, Shapes.Registration.class, true).errors(503));
        routes.add(Route.of(GET, "/v1/systems/{name}", Access.ANY_ROLE, "One registered system", systems.read())
                .answering(200, Shapes.Registration.class, false).errors(404, 503));
        routes.add(Route.of(PUT, "/v1/systems/{name}", Access.ADMIN,
                        "Register or change a system (202 when the ledger has not shown it yet)", systems.register())
                .withBody(Shapes.Registration.class, false).answering(200, Shapes.Registration.class, false)
                .alsoAnswering(202).errors(400, 503));
        routes.add(Route.of(GET, "/v1/systems/{name}/preview", Access.ADMIN,
                        "A SQL system's rows per table for one identifier, without changing anything",
                        systems.preview())
                .withQuery("namespace", "value").answering(200, Object.class, false).errors(400, 404, 409, 503));
        routes.add(Route.of(DELETE, "/v1/systems/{name}", Access.ADMIN,
                        "Retire a system (its open obligations stay)", systems.retire())
                .answering(200, SystemsHandler.Retired.class, false).alsoAnswering(202).errors(400, 404, 503));
    }

    /** What the console reads besides the API above: who the token is, and the programme's counts. */
    private static void console(List<Route> routes, GatewayApp.Collaborators c) {
        routes.add(Route.of(GET, "/v1/me", Access.ANY_ROLE,
                        "The caller's role, what it may do, and the namespaces and jurisdictions it may name",
                        new MeHandler(c.vocabulary())).answering(200, MeHandler.Me.class, false));
        routes.add(Route.of(GET, "/v1/stats", Access.ANY_ROLE,
                        "The programme at a glance, from the ledger's running counts: open, overdue, due this week, "
                                + "waiting for approval, needing a person, completed (this month), what each system "
                                + "owes, its oldest open obligation and how fast it answers, and the requests filed and "
                                + "finished on each of the "
                                + "last 30 days",
                        new StatsHandler(c.ledger(), c.clock())).answering(200, StatsHandler.Stats.class, false).errors(503));
    }
}
