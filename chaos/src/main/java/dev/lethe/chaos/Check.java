package dev.lethe.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The consistency check after a scenario (issue 19, point 4), through the public API only:
 * every acknowledged request exists exactly once (by id, and one request per client's
 * subject), reaches its right final state once the partners answered ({@link Plan}), and has an
 * audit trail that is a valid hash chain (consecutive {@code seq}, each {@code prevHash} the hash
 * before it, the certificate's head the last hash and {@code verified}) with no transition
 * recorded twice.
 */
public final class Check {

    private static final Set<String> FINAL = Set.of("COMPLETED", "COMPLETED_WITH_EXCEPTIONS", "REJECTED", "CANCELLED");

    /** The findings; {@code problems} holds a few examples for the report. */
    public record Findings(int acknowledged, int lost, int duplicated, int wrongFinal, int badAudit,
                           List<String> problems) {
    }

    /** How long the last pass over the requests still not final may take beyond the settle time. */
    private static final Duration LAST_PASS = Duration.ofSeconds(60);
    /** How long reading every audit trail and certificate may take (a few seconds when the gateway answers). */
    private static final Duration AUDIT_PASS = Duration.ofMinutes(3);

    private final Api api;
    private final String token;
    private final Duration settle;

    public Check(Api api, String adminToken, Duration settle) {
        this.api = api;
        this.token = adminToken;
        this.settle = settle;
    }

    public Findings run(List<Load.Ack> acks) {
        final List<String> problems = new ArrayList<>();
        final Map<String, List<Load.Ack>> bySubject = new HashMap<>();
        acks.forEach(ack -> bySubject.computeIfAbsent(ack.subject(), s -> new ArrayList<>()).add(ack));
        int duplicated = 0;
        for (var entry : bySubject.entrySet()) {
            if (entry.getValue().stream().map(Load.Ack::id).distinct().count() > 1) {
                duplicated++;
                note(problems, "subject " + entry.getKey() + " acknowledged under several ids");
            }
        }
        final Map<String, JsonNode> views = awaitFinal(acks);
        int lost = 0;
        int wrong = 0;
        int badAudit = 0;
        final Map<String, String> subjectKeys = new HashMap<>();
        final long auditDeadline = System.nanoTime() + AUDIT_PASS.toNanos();
        for (Load.Ack ack : acks) {
            final JsonNode view = views.get(ack.id());
            if (view == null) {
                lost++;
                note(problems, "acknowledged " + ack.id() + " is not found");
                continue;
            }
            subjectKeys.put(view.path("subjectKey").asText(), ack.id());
            final String wrongWhy = wrongState(ack.id(), view);
            if (wrongWhy != null) {
                wrong++;
                note(problems, ack.id() + ": " + wrongWhy);
            }
            final String auditWhy = System.nanoTime() > auditDeadline
                    ? "audit not checked: the pass over the audit trails took more than " + AUDIT_PASS
                    : auditProblem(ack.id(), view);
            if (auditWhy != null) {
                badAudit++;
                note(problems, ack.id() + ": " + auditWhy);
            }
        }
        duplicated += extraRequests(subjectKeys, problems);
        return new Findings(acks.size(), lost, duplicated, wrong, badAudit, List.copyOf(problems));
    }

    /** Polls every acknowledged request until it is final and right, or the settle time passes. */
    private Map<String, JsonNode> awaitFinal(List<Load.Ack> acks) {
        final Map<String, JsonNode> views = new ConcurrentHashMap<>();
        final Set<String> pending = new HashSet<>();
        acks.forEach(ack -> pending.add(ack.id()));
        final long deadline = System.nanoTime() + settle.toNanos();
        // the last pass may not run long either: every GET can take its whole timeout when the gateway hangs
        final long hardDeadline = deadline + LAST_PASS.toNanos();
        while (!pending.isEmpty()) {
            final boolean last = System.nanoTime() > deadline;
            for (String id : List.copyOf(pending)) {
                if (System.nanoTime() > hardDeadline) {
                    break;
                }
                final Api.Answer answer = api.get("/v1/erasures/" + id, token);
                if (answer.ok()) {
                    views.put(id, answer.json());
                    if (wrongState(id, answer.json()) == null) {
                        pending.remove(id);
                    }
                } else if (answer.status() == 404) {
                    views.remove(id);
                }
            }
            if (last) {
                break;
            }
            if (!pending.isEmpty()) {
                Pause.briefly();
            }
        }
        return views;
    }

    /** Null when the request is in its right final state, else why not. */
    static String wrongState(String id, JsonNode view) {
        final String status = view.path("status").asText();
        final String expected = Plan.finalStatus(id, ChaosCluster.PARTNER_SYSTEMS);
        if (!expected.equals(status)) {
            return "status " + status + (FINAL.contains(status) ? "" : " (not final)") + ", expected " + expected
                    + " " + systems(view);
        }
        for (JsonNode system : view.path("systems")) {
            final String name = system.path("name").asText();
            final String actual = system.path("status").asText();
            if (ChaosCluster.PARTNER_SYSTEMS.contains(name)) {
                final String want = Plan.of(id, name).finalSystemStatus();
                if (!want.equals(actual)) {
                    return "system " + name + " is " + actual + ", expected " + want;
                }
            } else if (ChaosCluster.S3_SYSTEM.equals(name) && !Set.of("DONE", "NOT_FOUND").contains(actual)) {
                return "system " + name + " is " + actual;
            }
        }
        if (view.path("systems").size() != ChaosCluster.PARTNER_SYSTEMS.size() + 1) {
            return "routed to " + systems(view);
        }
        return null;
    }

    private static String systems(JsonNode view) {
        final List<String> systems = new ArrayList<>();
        view.path("systems").forEach(s -> systems.add(s.path("name").asText() + "=" + s.path("status").asText()));
        return systems.toString();
    }

    /** Null when the audit trail is a valid hash chain without a repeated transition. */
    private String auditProblem(String id, JsonNode view) {
        final Api.Answer audit = api.get("/v1/erasures/" + id + "/audit", token);
        if (!audit.ok()) {
            return "audit answered " + audit.status();
        }
        final JsonNode facts = audit.json().isArray() ? audit.json() : audit.json().path("items");
        String previous = null;
        long seq = 0;
        final Set<String> transitions = new HashSet<>();
        for (JsonNode fact : facts) {
            seq++;
            if (fact.path("seq").asLong() != seq) {
                return "audit seq " + fact.path("seq").asLong() + " where " + seq + " was due";
            }
            final String prev = fact.path("prevHash").isNull() ? null : fact.path("prevHash").asText(null);
            if (!Objects.equals(previous, prev)) {
                return "audit fact " + seq + " does not chain to the one before";
            }
            previous = fact.path("hash").asText(null);
            if (previous == null || previous.isBlank()) {
                return "audit fact " + seq + " has no hash";
            }
            if ("RETRY".equals(fact.path("type").asText())) {
                // a retried system goes through its transitions again: only a repeat within one attempt counts
                final String retried = fact.path("system").asText() + "|";
                transitions.removeIf(t -> t.contains("|" + retried) || fact.path("system").asText().isEmpty());
            }
            final String transition = fact.path("type").asText() + "|" + fact.path("system").asText() + "|"
                    + fact.path("status").asText() + "|" + fact.path("detail").asText();
            if (!transitions.add(transition)) {
                return "transition recorded twice: " + fact.path("type").asText() + " " + fact.path("system").asText()
                        + " " + fact.path("status").asText();
            }
        }
        final String status = view.path("status").asText();
        if (status.startsWith("COMPLETED")) {
            final Api.Answer certificate = api.get("/v1/erasures/" + id + "/certificate", token);
            if (!certificate.ok()) {
                return "certificate answered " + certificate.status() + " " + certificate.body();
            }
            final JsonNode summary = summary(certificate.json());
            if (summary == null || !summary.path("verified").asBoolean()
                    || !Objects.equals(previous, summary.path("head").asText(null))) {
                return "the certificate's chain head is not the audit trail's last hash, or not verified";
            }
        }
        return null;
    }

    private static JsonNode summary(JsonNode certificate) {
        for (JsonNode child : certificate) {
            if (child.has("verified") && child.has("head")) {
                return child;
            }
        }
        return null;
    }

    /** Requests in the ledger for a client's subject beyond the one acknowledged (read through the list). */
    private int extraRequests(Map<String, String> subjectKeys, List<String> problems) {
        final Map<String, Set<String>> idsByKey = new HashMap<>();
        String cursor = null;
        int pages = 0;
        do {
            final Api.Answer page = api.get("/v1/erasures?limit=500" + (cursor == null ? ""
                    : "&cursor=" + java.net.URLEncoder.encode(cursor, java.nio.charset.StandardCharsets.UTF_8)), token);
            if (!page.ok()) {
                note(problems, "list answered " + page.status());
                return 0;
            }
            for (JsonNode item : page.json().path("items")) {
                final String key = item.path("subjectKey").asText();
                if (subjectKeys.containsKey(key)) {
                    idsByKey.computeIfAbsent(key, k -> new HashSet<>()).add(item.path("id").asText());
                }
            }
            cursor = page.json().path("next").isTextual() ? page.json().path("next").asText() : null;
        } while (cursor != null && ++pages < 10_000);
        int extra = 0;
        for (var entry : idsByKey.entrySet()) {
            if (entry.getValue().size() > 1) {
                extra += entry.getValue().size() - 1;
                note(problems, "one client's subject has requests " + entry.getValue());
            }
        }
        return extra;
    }

    private static void note(List<String> problems, String problem) {
        if (problems.size() < 20) {
            problems.add(problem);
        }
    }
}
