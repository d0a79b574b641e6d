package dev.lethe.gateway.console;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.gateway.auth.Role;
import dev.lethe.gateway.http.RoleHandler;
import dev.lethe.gateway.ledger.LedgerClient;
import dev.lethe.gateway.ledger.LedgerJson;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code GET /v1/stats} (any role): the programme at a glance, from the ledger's running counts
 * (its cluster-wide stats, the same figures as {@code /metrics}), never by paging requests:
 * requests by status, the open ones, those past their deadline, waiting for approval, needing a
 * person (in all and by reason), completed, due within a week, completed this month, what each
 * system still owes, its oldest open obligation and how fast it answers, and the requests filed and finished on each of the last 30 days. The
 * ledger's instance list stays internal.
 */
public final class StatsHandler implements RoleHandler {

    private static final Set<String> FINISHED = Set.of("COMPLETED", "COMPLETED_WITH_EXCEPTIONS", "REJECTED",
            "CANCELLED");

    /** How many days the daily figures cover, today included. */
    static final int DAYS = 30;

    private final LedgerClient ledger;
    private final Clock clock;

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
     * @param dueThisWeek     open requests not yet overdue whose deadline falls within 7 days
     * @param completedThisMonth requests completed (with or without exceptions) since the 1st of this month, UTC
     * @param daily           the last {@value #DAYS} days (UTC), oldest first: requests filed, finished (any
     *                        final status) and completed each day
     * @param answersBySystem per system, how many requests it has answered (DONE, NOT_FOUND, RETAINED) and
     *                        the average time from a request's filing to its answer
     * @param oldestBySystem  per system, its oldest open obligation (the earliest over the ledger's instances)
     */
    public record Stats(Map<String, Long> byStatus, long open, long overdue, long pendingApproval,
                        long needsAttention, Map<String, Long> attention, long completed,
                        Map<String, Long> pendingBySystem, long dueThisWeek, long completedThisMonth,
                        List<Day> daily, Map<String, Answers> answersBySystem, Map<String, Oldest> oldestBySystem) {
    }

    /**
     * A system's oldest open obligation: since when it is owed (the request's filing, or the
     * sending of a replayed or covered obligation), by which request, and its age in seconds.
     */
    public record Oldest(Instant since, String requestId, long ageSeconds) {
    }

    /** A system's settled answers and their average time, in seconds, since the request was filed. */
    public record Answers(long answered, long averageSeconds) {
    }

    /** One day's figures. */
    public record Day(String day, long filed, long finished, long completed) {
    }

    public StatsHandler(LedgerClient ledger, Clock clock) {
        this.ledger = ledger;
        this.clock = clock;
    }

    @Override
    public void handle(Context ctx, Role role) {
        ctx.json(of(LedgerJson.parse(ledger.stats()), clock.instant()));
    }

    /** The answer computed from the ledger's stats, at {@code now}. */
    static Stats of(JsonNode stats, Instant now) {
        final LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        final Map<String, Long> byStatus = counts(stats.path("byStatus"));
        final long open = byStatus.entrySet().stream().filter(e -> !FINISHED.contains(e.getKey()))
                .mapToLong(Map.Entry::getValue).sum();
        final List<Day> daily = new ArrayList<>();
        for (LocalDate day = today.minusDays(DAYS - 1); !day.isAfter(today); day = day.plusDays(1)) {
            final Map<String, Long> finished = counts(stats.path("finishedByDay").path(day.toString()));
            daily.add(new Day(day.toString(), stats.path("filedByDay").path(day.toString()).asLong(0),
                    finished.values().stream().mapToLong(Long::longValue).sum(), completed(finished)));
        }
        long completedThisMonth = 0;
        for (LocalDate day = today.withDayOfMonth(1); !day.isAfter(today); day = day.plusDays(1)) {
            completedThisMonth += completed(counts(stats.path("finishedByDay").path(day.toString())));
        }
        return new Stats(byStatus, open, stats.path("overdue").asLong(0),
                byStatus.getOrDefault("PENDING_APPROVAL", 0L), stats.path("needsAttention").asLong(0),
                counts(stats.path("attention")), completed(byStatus), counts(stats.path("pendingBySystem")),
                stats.path("dueSoon").asLong(0), completedThisMonth, daily, answers(stats.path("answersBySystem")),
                oldest(stats.path("oldestBySystem"), now));
    }

    private static Map<String, Oldest> oldest(JsonNode bySystem, Instant now) {
        final Map<String, Oldest> oldest = new TreeMap<>();
        bySystem.fields().forEachRemaining(system -> {
            final String since = system.getValue().path("since").asText("");
            final String requestId = system.getValue().path("requestId").asText("");
            if (!since.isEmpty() && !requestId.isEmpty()) {
                final Instant at = Instant.parse(since);
                oldest.put(system.getKey(), new Oldest(at, requestId, Math.max(0, Duration.between(at, now).toSeconds())));
            }
        });
        return oldest;
    }

    private static Map<String, Answers> answers(JsonNode bySystem) {
        final Map<String, Answers> answers = new TreeMap<>();
        bySystem.fields().forEachRemaining(system -> {
            final long answered = system.getValue().path("answered").asLong(0);
            if (answered > 0) {
                answers.put(system.getKey(), new Answers(answered,
                        system.getValue().path("answerSeconds").asLong(0) / answered));
            }
        });
        return answers;
    }

    private static long completed(Map<String, Long> byStatus) {
        return byStatus.getOrDefault("COMPLETED", 0L) + byStatus.getOrDefault("COMPLETED_WITH_EXCEPTIONS", 0L);
    }

    private static Map<String, Long> counts(JsonNode node) {
        final Map<String, Long> counts = new TreeMap<>();
        node.fields().forEachRemaining(field -> counts.put(field.getKey(), field.getValue().asLong()));
        return counts;
    }
}
