package dev.lethe.gateway.console;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.gateway.auth.Role;
import dev.lethe.gateway.http.RoleHandler;
import dev.lethe.gateway.ledger.LedgerClient;
import dev.lethe.gateway.ledger.LedgerJson;
import io.javalin.http.Context;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code GET /v1/stats} (any role): the programme at a glance, from the ledger's running counts
 * (its cluster-wide stats, the same figures as {@code /metrics}), never by paging requests:
 * requests by status, the open ones, those past their deadline, waiting for approval, needing a
 * person (in all and by reason), completed, and what each system still owes. The ledger's
 * instance list stays internal.
 */
public final class StatsHandler implements RoleHandler {

    private static final Set<String> FINISHED = Set.of("COMPLETED", "COMPLETED_WITH_EXCEPTIONS", "REJECTED",
            "CANCELLED");

    private final LedgerClient ledger;

    /**
     * The answer.
     *
     * @param byStatus        requests by status
     * @param open            requests not finished (every status but the four final ones)
     * @param overdue         open requests past their deadline
     * @param pendingApproval requests waiting for an approver
     * @param needsAttention  requests that need a person, for any reason
     * @param attention       requests that need a person, by reason ({@code UNROUTED}, {@code CONTRADICTED})
     * @param completed       requests completed, with or without exceptions
     * @param pendingBySystem per system, the open requests still waiting for its answer
     */
    public record Stats(Map<String, Long> byStatus, long open, long overdue, long pendingApproval,
                        long needsAttention, Map<String, Long> attention, long completed,
                        Map<String, Long> pendingBySystem) {
    }

    public StatsHandler(LedgerClient ledger) {
        this.ledger = ledger;
    }

    @Override
    public void handle(Context ctx, Role role) {
        ctx.json(of(LedgerJson.parse(ledger.stats())));
    }

    /** The answer computed from the ledger's stats. */
    static Stats of(JsonNode stats) {
        final Map<String, Long> byStatus = counts(stats.path("byStatus"));
        final long open = byStatus.entrySet().stream().filter(e -> !FINISHED.contains(e.getKey()))
                .mapToLong(Map.Entry::getValue).sum();
        return new Stats(byStatus, open, stats.path("overdue").asLong(0),
                byStatus.getOrDefault("PENDING_APPROVAL", 0L), stats.path("needsAttention").asLong(0),
                counts(stats.path("attention")),
                byStatus.getOrDefault("COMPLETED", 0L) + byStatus.getOrDefault("COMPLETED_WITH_EXCEPTIONS", 0L),
                counts(stats.path("pendingBySystem")));
    }

    private static Map<String, Long> counts(JsonNode node) {
        final Map<String, Long> counts = new TreeMap<>();
        node.fields().forEachRemaining(field -> counts.put(field.getKey(), field.getValue().asLong()));
        return counts;
    }
}
