package dev.lethe.gateway.erasure;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.avro.ErasureRequested;
import dev.lethe.gateway.api.ApiOptional;
import dev.lethe.gateway.api.OneOf;
import dev.lethe.gateway.api.Shapes;
import dev.lethe.gateway.auth.Role;
import dev.lethe.gateway.events.EventWriter;
import dev.lethe.gateway.events.WriteFailedException;
import dev.lethe.gateway.events.WriteOutcome;
import dev.lethe.gateway.http.ApiException;
import dev.lethe.gateway.http.Guard;
import dev.lethe.gateway.http.JsonBody;
import dev.lethe.gateway.http.RoleHandler;
import dev.lethe.gateway.ledger.LedgerClient;
import dev.lethe.gateway.ledger.LedgerJson;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/erasures/batch} (submitter or admin): files up to {@link #MAX_ITEMS} requests at
 * once. Each item goes through the rules of {@code POST /v1/erasures} ({@link IntakeRules}) on its
 * own and gets its own result, in order: {@code 202} (new, with its id), {@code 200} (the same
 * idempotency key and body as before, or a duplicate of an open request), or the 4xx/503 it would
 * have had alone, with {@code error}, {@code message} and {@code field} (prefixed
 * {@code requests[i].}). An item's {@code idempotencyKey} names the same id as the header would;
 * the same key twice in one batch with the same body is one request (both items get its answer),
 * with another body the later item gets 422. The new requests are written together (few producer
 * round trips) and each is answered once durable. The open duplicates of all items are looked up
 * in one call to the ledger. The answer is 200 whenever the batch itself could
 * be read; a batch that cannot (not JSON, no {@code requests} array, empty) is a 400, and one of more
 * than {@link #MAX_ITEMS} items a 413, with nothing written.
 */
public final class BatchIntakeHandler implements RoleHandler {

    public static final int MAX_ITEMS = 1_000;
    /** The largest batch body: 4 KiB per item on average. */
    public static final int MAX_BYTES = 4 * 1024 * 1024;
    /** How many idempotent replays (one ledger read per item with a key) run at once for one gateway. */
    static final int LOOKUPS = 16;
    private static final String FIELD = "requests";
    private static final Logger LOG = LoggerFactory.getLogger(BatchIntakeHandler.class);
    private static final ExecutorService LOOKUP_POOL = Executors.newFixedThreadPool(LOOKUPS, daemon());

    private final EventWriter events;
    private final LedgerClient ledger;
    private final IntakeRules rules;

    /** One item's answer: {@code code} is the HTTP status it would have had alone. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ItemResult(int index, int code, @ApiOptional String id,
                             @ApiOptional @OneOf(Shapes.RequestStatus.class) String status,
                             @ApiOptional Boolean duplicate, @ApiOptional String error, @ApiOptional String message,
                             @ApiOptional String field) {

        static ItemResult answered(int index, IntakeRules.Answer answer) {
            return new ItemResult(index, answer.status(), answer.body().id(), answer.body().status(),
                    answer.body().duplicate(), null, null, null);
        }

        static ItemResult refused(int index, ApiException e) {
            final String field = FIELD + "[" + index + "]" + (e.field() == null ? "" : "." + e.field());
            return new ItemResult(index, e.status(), null, null, null, e.code(), e.getMessage(), field);
        }

        boolean accepted() {
            return code == 200 || code == 202;
        }

        /** The same answer for item {@code other}, its {@code field} naming that item. */
        ItemResult at(int other) {
            final String prefix = FIELD + "[" + index + "]";
            final String moved = field != null && field.startsWith(prefix)
                    ? FIELD + "[" + other + "]" + field.substring(prefix.length()) : field;
            return new ItemResult(other, code, id, status, duplicate, error, message, moved);
        }
    }

    /** The answer: how many items were accepted (200 or 202) and refused, and every item's result in order. */
    public record Accepted(int accepted, int refused, List<ItemResult> results) {
    }

    /** An item on its way: its request once valid, or its result once decided; {@code sameAs} an earlier item. */
    private static final class Slot {
        final int index;
        final ErasureRequested request;
        final boolean keyed;
        final int sameAs;
        volatile ItemResult result;

        Slot(int index, ErasureRequested request, boolean keyed, int sameAs, ItemResult result) {
            this.index = index;
            this.request = request;
            this.keyed = keyed;
            this.sameAs = sameAs;
            this.result = result;
        }
    }

    public BatchIntakeHandler(EventWriter events, LedgerClient ledger, Vocabulary vocabulary, Clock clock) {
        this.events = events;
        this.ledger = ledger;
        this.rules = new IntakeRules(events, ledger, vocabulary, clock);
    }

    @Override
    public void handle(Context ctx, Role role) {
        final JsonNode items = items(JsonBody.readTree(ctx, MAX_BYTES));
        final String caller = Guard.callerKey(ctx);
        final Instant now = rules.now();
        final List<Slot> slots = new ArrayList<>(items.size());
        final Map<String, Integer> firstByKey = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            slots.add(prepare(items.get(i), i, caller, now, role, firstByKey, slots));
        }
        judge(slots, role);
        write(slots);
        final List<ItemResult> results = new ArrayList<>(slots.size());
        int accepted = 0;
        for (Slot slot : slots) {
            final ItemResult result = slot.sameAs < 0 ? slot.result : slots.get(slot.sameAs).result.at(slot.index);
            results.add(result);
            accepted += result.accepted() ? 1 : 0;
        }
        LOG.info("batch of {} from {}: {} accepted, {} refused", slots.size(), role.name(), accepted,
                slots.size() - accepted);
        ctx.status(200).json(new Accepted(accepted, slots.size() - accepted, results));
    }

    /** The {@code requests} array: present, 1 to {@link #MAX_ITEMS} items, and no other field. */
    private static JsonNode items(JsonNode body) {
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            final String name = names.next();
            if (!FIELD.equals(name)) {
                throw ApiException.badRequest("unknown_field", "unknown field " + name + " (a batch has only "
                        + FIELD + ")", null);
            }
        }
        final JsonNode items = body.get(FIELD);
        if (items == null || items.isNull()) {
            throw ApiException.badRequest("missing_field", FIELD + " is required: an array of requests", FIELD);
        }
        if (!items.isArray()) {
            throw ApiException.badRequest("invalid_type", FIELD + " must be an array", FIELD);
        }
        if (items.isEmpty()) {
            throw ApiException.badRequest("invalid_value", FIELD + " must hold at least one request", FIELD);
        }
        if (items.size() > MAX_ITEMS) {
            throw new ApiException(413, "batch_too_large", "a batch holds at most " + MAX_ITEMS + " requests; this one"
                    + " has " + items.size() + ": split it", FIELD, null);
        }
        return items;
    }

    /** Validates item {@code i} on its own; an item repeating an earlier key is linked to it (or refused, 422). */
    private Slot prepare(JsonNode node, int i, String caller, Instant now, Role role, Map<String, Integer> firstByKey,
                         List<Slot> earlier) {
        try {
            final BatchBody.BatchRequest item = JsonBody.map(node, BatchBody.BatchRequest.class);
            final String key = IntakeRules.idempotencyKey(item.idempotencyKey(), "idempotencyKey");
            final ErasureRequested request = rules.validated(item.body(), IntakeRules.requestId(caller, key), now,
                    role);
            if (key != null) {
                final Integer first = firstByKey.putIfAbsent(key, i);
                if (first != null) {
                    if (!earlier.get(first).request.getFingerprint().equals(request.getFingerprint())) {
                        throw IntakeRules.reused();
                    }
                    return new Slot(i, null, true, first, null);
                }
            }
            return new Slot(i, request, key != null, -1, null);
        } catch (ApiException e) {
            return new Slot(i, null, false, -1, ItemResult.refused(i, e));
        }
    }

    /**
     * Asks the ledger whether each valid item with a key was filed before ({@link #LOOKUPS} at a
     * time), then, in one batch look-up, whether each item still undecided duplicates an open request.
     */
    private void judge(List<Slot> slots, Role role) {
        final List<CompletableFuture<Void>> replays = new ArrayList<>();
        for (Slot slot : slots) {
            if (slot.request != null && slot.keyed) {
                replays.add(CompletableFuture.runAsync(() -> slot.result = replayed(slot), LOOKUP_POOL));
            }
        }
        CompletableFuture.allOf(replays.toArray(CompletableFuture[]::new)).join();
        final List<Slot> open = slots.stream().filter(s -> s.request != null && s.result == null).toList();
        if (open.isEmpty()) {
            return;
        }
        List<String> subjects;
        try {
            subjects = ledger.lookupAll(open.stream().map(s -> Map.entry(s.request.getSubject().getNamespace(),
                    s.request.getSubject().getValue())).toList());
        } catch (ApiException e) {
            if (e.status() != 503) {
                open.forEach(slot -> slot.result = ItemResult.refused(slot.index, e));
                return;
            }
            // As a single POST does: taking the requests matters more than spotting a duplicate.
            LOG.warn("the subject look-up is unavailable; {} requests of a batch are filed without duplicate detection",
                    open.size());
            subjects = Collections.nCopies(open.size(), null);
        }
        for (int i = 0; i < open.size(); i++) {
            final Slot slot = open.get(i);
            try {
                final IntakeRules.Answer duplicate = rules.duplicateIn(
                        subjects.get(i) == null ? null : LedgerJson.parse(subjects.get(i)), slot.request, role);
                slot.result = duplicate == null ? null : ItemResult.answered(slot.index, duplicate);
            } catch (WriteFailedException e) {
                slot.result = ItemResult.refused(slot.index, notWritten(e));
            }
        }
    }

    private ItemResult replayed(Slot slot) {
        try {
            final IntakeRules.Answer known = rules.replayed(slot.request);
            return known == null ? null : ItemResult.answered(slot.index, known);
        } catch (ApiException e) {
            return ItemResult.refused(slot.index, e);
        }
    }

    /** Writes every item still undecided together, and answers each 202 once durable (503 if it was not). */
    private void write(List<Slot> slots) {
        final List<Slot> fresh = slots.stream().filter(s -> s.request != null && s.result == null).toList();
        if (fresh.isEmpty()) {
            return;
        }
        final List<WriteOutcome> outcomes = events.writeAll(fresh.stream().map(s -> s.request).toList());
        for (int i = 0; i < fresh.size(); i++) {
            final Slot slot = fresh.get(i);
            final WriteOutcome outcome = outcomes.get(i);
            slot.result = outcome.ok()
                    ? ItemResult.answered(slot.index, new IntakeRules.Answer(202,
                            new IntakeHandler.Accepted(slot.request.getRequestId(), "RECEIVED", null)))
                    : ItemResult.refused(slot.index, notWritten(outcome.failure()));
        }
    }

    private static ApiException notWritten(WriteFailedException e) {
        LOG.warn("an item of a batch was not written", e);
        return ApiException.unavailable("the event log cannot take the write now; this item was not accepted, try "
                + "it again", 1);
    }

    private static java.util.concurrent.ThreadFactory daemon() {
        final AtomicInteger count = new AtomicInteger();
        return runnable -> {
            final Thread thread = new Thread(runnable, "lethe-batch-lookup-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
