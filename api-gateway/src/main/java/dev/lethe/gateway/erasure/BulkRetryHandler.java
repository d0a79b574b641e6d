package dev.lethe.gateway.erasure;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.avro.Decision;
import dev.lethe.avro.RetryFailed;
import dev.lethe.gateway.api.ApiOptional;
import dev.lethe.gateway.api.OneOf;
import dev.lethe.gateway.api.Shapes;
import dev.lethe.gateway.auth.Role;
import dev.lethe.gateway.events.EventWriter;
import dev.lethe.gateway.http.JsonBody;
import dev.lethe.gateway.http.RoleHandler;
import dev.lethe.gateway.ledger.LedgerClient;
import dev.lethe.gateway.ledger.LedgerJson;
import dev.lethe.gateway.ledger.RegisteredSystem;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/erasures/retry} (approver or admin): pages through the ledger's list of
 * IN_PROGRESS requests that have a FAILED system (of {@code system}, when given) and match the
 * filter, and writes one {@code RetryFailed} decision per request. At most {@link #MAX_PER_CALL}
 * listed requests are looked at a call: beyond that the answer says {@code "truncated": true} with the {@code next}
 * cursor to continue from. The writes are not waited for; the list reflects them as the ledger
 * applies them. Answers {@code 202 {"requests": n, "ids": [...], "truncated", "next"}}.
 */
public final class BulkRetryHandler implements RoleHandler {

    public static final int MAX_PER_CALL = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(BulkRetryHandler.class);

    private final EventWriter events;
    private final LedgerClient ledger;
    private final Clock clock;
    private final int maxPerCall;

    /** The filter: each field optional; {@code cursor} continues a truncated earlier call. */
    public record Filter(@ApiOptional String system, @ApiOptional String from, @ApiOptional String to,
                         @ApiOptional @OneOf(Shapes.RequestStatus.class) String status, @ApiOptional String cursor,
                         @ApiOptional String note) {
    }

    /** The answer. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Accepted(int requests, List<String> ids, boolean truncated, @ApiOptional String next) {
    }

    public BulkRetryHandler(EventWriter events, LedgerClient ledger, Clock clock, int maxPerCall) {
        this.events = events;
        this.ledger = ledger;
        this.clock = clock;
        this.maxPerCall = maxPerCall;
    }

    @Override
    public void handle(Context ctx, Role role) {
        final Filter filter = JsonBody.readOptional(ctx, Filter.class, new Filter(null, null, null, null, null, null));
        final String note = Fields.optionalText(filter.note(), "note", DecisionHandler.TEXT_MAX);
        ListQuery query = ListQuery.of(filter.status(), filter.system(), null, null, filter.from(), filter.to(),
                ListQuery.LIMIT_MAX, filter.cursor(), "FAILED")
                .requireRegistered(() -> ledger.systems().stream().map(RegisteredSystem::name).toList());
        final List<String> ids = new ArrayList<>();
        int scanned = 0;
        String next;
        do {
            final JsonNode page = LedgerJson.parse(ledger.list(
                    query.page(query.cursor(), Math.min(ListQuery.LIMIT_MAX, maxPerCall - scanned)).toLedger()));
            for (final JsonNode item : page.path("items")) {
                scanned++;
                if ("IN_PROGRESS".equals(LedgerJson.status(item)) && LedgerJson.anySystem(item, "FAILED")) {
                    final String id = item.path("id").asText();
                    events.write(new Decision(UUID.randomUUID().toString(), id, clock.instant(), role.name(),
                            new RetryFailed(note)));
                    ids.add(id);
                }
            }
            next = page.path("next").isTextual() ? page.path("next").textValue() : null;
            query = query.page(next, ListQuery.LIMIT_MAX);
        } while (next != null && scanned < maxPerCall);
        LOG.info("{} asked to retry the FAILED systems of {} requests", role.name(), ids.size());
        ctx.status(202).json(new Accepted(ids.size(), ids, next != null, next));
    }
}
