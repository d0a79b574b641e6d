package dev.lethe.ledger.domain;

import dev.lethe.ledger.domain.LedgerOutput.Audit;
import java.time.Instant;
import java.time.Period;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/** Requests, callbacks, decisions, contexts and a small fold runner for the pure ledger tests. */
final class LedgerFixtures {

    static final String ID = "req-1";
    static final String SUBJECT_KEY = "9f2c-subject-key";
    static final Instant REQUESTED_AT = Instant.parse("2026-03-02T09:00:00Z");
    static final Instant NOW = Instant.parse("2026-03-02T09:00:05Z");
    static final Identifier SUBJECT = new Identifier("user_id", "u-1842");
    static final Identifier EMAIL = new Identifier("email", "Kim.Lee@Example.com");
    static final Identifier PHONE = new Identifier("phone", "+82-10-5555-0199");

    static final SystemInfo BILLING = system("billing", Set.of("user_id"));
    static final SystemInfo CRM = system("crm", Set.of("email"));
    static final SystemInfo SEARCH = system("search", Set.of("user_id", "email"));
    /** Holds only device ids: never matches the default request. */
    static final SystemInfo ADS = system("ads", Set.of("device_id"));
    /** Holds user ids of Korean subjects only. */
    static final SystemInfo KR_SHOP = new SystemInfo("kr-shop", Set.of("user_id"), Set.of("PIPA"));

    /** The default registry, deliberately not in name order. */
    static final List<SystemInfo> REGISTRY = List.of(SEARCH, ADS, CRM, BILLING, KR_SHOP);

    private static final AtomicInteger EVENT_IDS = new AtomicInteger();

    private LedgerFixtures() {
    }

    static SystemInfo system(String name, Set<String> namespaces) {
        return new SystemInfo(name, namespaces, Set.of());
    }

    static LedgerContext ctx() {
        return ctx(LedgerPolicy.defaults());
    }

    static LedgerContext ctx(LedgerPolicy policy) {
        return new LedgerContext(NOW, REGISTRY, policy);
    }

    static LedgerContext ctx(Collection<SystemInfo> systems) {
        return new LedgerContext(NOW, systems, LedgerPolicy.defaults());
    }

    static LedgerPolicy manual() {
        return LedgerPolicy.defaults().withManualApproval(true);
    }

    static LedgerPolicy maxEarlyCallbacks(int max) {
        final LedgerPolicy d = LedgerPolicy.defaults();
        return new LedgerPolicy(d.approval(), d.deadlines(), d.defaultDeadline(), d.extensions(), max);
    }

    static LedgerPolicy defaultDeadline(Period period) {
        final LedgerPolicy d = LedgerPolicy.defaults();
        return new LedgerPolicy(d.approval(), d.deadlines(), period, d.extensions(), d.maxEarlyCallbacks());
    }

    // ---- requests

    static RequestBuilder request() {
        return new RequestBuilder();
    }

    static LedgerEvent.Received received() {
        return request().received();
    }

    /** An ErasureRequest with the subject (user_id) and an e-mail, under GDPR, reaching billing, crm and search. */
    static final class RequestBuilder {
        private String requestId = ID;
        private Identifier subject = SUBJECT;
        private List<Identifier> identifiers = List.of(EMAIL);
        private String jurisdiction = "GDPR";
        private Scope scope = Scope.ALL;
        private List<String> objects = List.of("s3://media-prod/u-1842/avatar.png");
        private int graceDays;
        private Instant requestedAt = REQUESTED_AT;
        private String submittedBy = "submitter:accounts";
        private String source = "accounts-service";
        private String fingerprint;
        private Portal portal;

        RequestBuilder id(String id) {
            this.requestId = id;
            return this;
        }

        RequestBuilder subject(Identifier id) {
            this.subject = id;
            return this;
        }

        RequestBuilder identifiers(Identifier... ids) {
            this.identifiers = List.of(ids);
            return this;
        }

        RequestBuilder jurisdiction(String j) {
            this.jurisdiction = j;
            return this;
        }

        RequestBuilder only(String... systems) {
            this.scope = new Scope(List.of(systems), scope.exclude());
            return this;
        }

        RequestBuilder exclude(String... systems) {
            this.scope = new Scope(scope.systems(), List.of(systems));
            return this;
        }

        RequestBuilder graceDays(int days) {
            this.graceDays = days;
            return this;
        }

        RequestBuilder requestedAt(Instant at) {
            this.requestedAt = at;
            return this;
        }

        RequestBuilder source(String s) {
            this.source = s;
            return this;
        }

        RequestBuilder fingerprint(String f) {
            this.fingerprint = f;
            return this;
        }

        RequestBuilder portal(Portal p) {
            this.portal = p;
            return this;
        }

        RequestBuilder submittedBy(String who) {
            this.submittedBy = who;
            return this;
        }

        ErasureRequest build() {
            return new ErasureRequest(requestId, subject, identifiers, jurisdiction, "account_deleted",
                    source, scope, objects, graceDays, requestedAt, submittedBy, fingerprint, portal);
        }

        LedgerEvent.Received received() {
            return new LedgerEvent.Received(build(), SUBJECT_KEY);
        }
    }

    // ---- callbacks

    static LedgerEvent.CalledBack callback(String system, Outcome outcome, Long items, String detail,
                                           String legalBasis) {
        return new LedgerEvent.CalledBack(new Callback("cb-" + EVENT_IDS.incrementAndGet(), ID, system, NOW,
                "partner:" + system, outcome, items, detail, legalBasis));
    }

    static LedgerEvent.CalledBack progress(String system, long items) {
        return callback(system, Outcome.PROGRESS, items, null, null);
    }

    static LedgerEvent.CalledBack done(String system, Long items) {
        return callback(system, Outcome.DONE, items, null, null);
    }

    static LedgerEvent.CalledBack done(String system, Long items, String detail) {
        return callback(system, Outcome.DONE, items, detail, null);
    }

    static LedgerEvent.CalledBack notFound(String system) {
        return callback(system, Outcome.NOT_FOUND, null, null, null);
    }

    static LedgerEvent.CalledBack failed(String system, String detail) {
        return callback(system, Outcome.FAILED, null, detail, null);
    }

    static LedgerEvent.CalledBack retained(String system, String legalBasis) {
        return callback(system, Outcome.RETAINED, null, "kept invoices", legalBasis);
    }

    // ---- decisions

    static LedgerEvent.Decided decision(Decision.Action action) {
        return decision(ID, action);
    }

    static LedgerEvent.Decided decision(String requestId, Decision.Action action) {
        return new LedgerEvent.Decided(new Decision("d-" + EVENT_IDS.incrementAndGet(), requestId, NOW,
                "approver:alice", action));
    }

    static LedgerEvent.Decided approve() {
        return decision(new Decision.Approve("looks legitimate"));
    }

    static LedgerEvent.Decided reject(String reason) {
        return decision(new Decision.Reject(reason));
    }

    static LedgerEvent.Decided cancel(String reason) {
        return decision(new Decision.Cancel(reason));
    }

    static LedgerEvent.Decided retry(String system) {
        return decision(new Decision.Retry(system));
    }

    static LedgerEvent.Decided retryFailed(String note) {
        return decision(new Decision.RetryFailed(note));
    }

    static LedgerEvent.Decided acknowledge(String reason) {
        return decision(new Decision.Acknowledge(reason));
    }

    // ---- the subject gate

    static LedgerEvent.Gated admitted(String requestId) {
        return new LedgerEvent.Gated(requestId, new Verdict.Admitted());
    }

    static LedgerEvent.Gated duplicateOf(String requestId, String first) {
        return new LedgerEvent.Gated(requestId, new Verdict.DuplicateOf(first));
    }

    static LedgerEvent.Gated duplicateFiled(String requestId, String duplicate, String source) {
        return new LedgerEvent.Gated(requestId, new Verdict.DuplicateFiled(duplicate, source));
    }

    // ---- folding

    /** A run in which the subject gate admits every request right after it is received. */
    static Run run(LedgerContext ctx) {
        return new Run(ctx, true);
    }

    /** A run without the gate: a received request waits in RECEIVED until a verdict is applied. */
    static Run held(LedgerContext ctx) {
        return new Run(ctx, false);
    }

    /**
     * Folds events one after the other, keeping the state, every output and the last transition's outputs.
     * With {@code gate}, every {@link LedgerEvent.Received} is followed by an explicit
     * {@link Verdict.Admitted} for its request, as the subject gate answers a subject's only open
     * request; the outputs of both count as the last transition's.
     */
    static final class Run {
        private LedgerContext ctx;
        private final boolean gate;
        private final List<LedgerOutput> all = new ArrayList<>();
        private RequestState state;
        private List<LedgerOutput> last = List.of();

        private Run(LedgerContext ctx, boolean gate) {
            this.ctx = ctx;
            this.gate = gate;
        }

        Run apply(LedgerEvent... events) {
            for (LedgerEvent event : events) {
                final List<LedgerOutput> outputs = new ArrayList<>(fold(event));
                if (gate && event instanceof LedgerEvent.Received received) {
                    outputs.addAll(fold(admitted(received.requestId())));
                }
                last = List.copyOf(outputs);
                all.addAll(last);
            }
            return this;
        }

        private List<LedgerOutput> fold(LedgerEvent event) {
            final Ledger.Transition t = Ledger.apply(state, event, ctx);
            state = t.state();
            return t.outputs();
        }

        /** From now on, events are applied at {@code now}. */
        Run at(Instant now) {
            ctx = new LedgerContext(now, ctx.registry(), ctx.policy());
            return this;
        }

        /** From now on, routing reads {@code systems} as the registry. */
        Run registry(Collection<SystemInfo> systems) {
            ctx = new LedgerContext(ctx.now(), List.copyOf(systems), ctx.policy());
            return this;
        }

        /** The wall clock reaches {@code now} and wakes the request. */
        Run wakeAt(Instant now) {
            return at(now).apply(new LedgerEvent.Woken(ID));
        }

        Run apply(List<? extends LedgerEvent> events) {
            return apply(events.toArray(LedgerEvent[]::new));
        }

        RequestState state() {
            return state;
        }

        SystemTarget system(String name) {
            return state.system(name).orElseThrow(() -> new AssertionError("no system " + name));
        }

        /** What the last applied event emitted. */
        List<LedgerOutput> last() {
            return last;
        }

        <T extends LedgerOutput> List<T> last(Class<T> type) {
            return only(last, type);
        }

        List<LedgerOutput> all() {
            return all;
        }

        <T extends LedgerOutput> List<T> all(Class<T> type) {
            return only(all, type);
        }

        List<String> auditTypes() {
            return all(Audit.class).stream().map(Audit::type).toList();
        }

        List<String> lastAuditTypes() {
            return last(Audit.class).stream().map(Audit::type).toList();
        }
    }

    static <T extends LedgerOutput> List<T> only(List<LedgerOutput> outputs, Class<T> type) {
        return outputs.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
