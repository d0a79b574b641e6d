package dev.lethe.ledger.topology;

import dev.lethe.avro.SubjectEntry;
import dev.lethe.ledger.domain.Attention;
import dev.lethe.ledger.domain.RequestState;
import dev.lethe.ledger.domain.RequestStatus;
import dev.lethe.ledger.domain.SystemStatus;
import dev.lethe.ledger.domain.SystemTarget;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the ledger's secondary indexes in step with the {@code ledger} store, from the
 * difference between a request's stored and next state: newest-first lists by requested and by
 * finished time, the unfinished requests by deadline (overdue = a range up to now), running
 * counts per status, of owed erasures per system, of requests that need a person (in all and
 * per reason) and of requests filed and finished (by final status) per UTC day, and, through {@code subjectEntries}, the subject index. Every index lives in the
 * same task as the request, so one transaction writes the state and its indexes together. A
 * request released to the archive leaves the list and subject indexes ({@link #release}) and is
 * put back when it comes back ({@link #restore}); the counts never change on either.
 */
final class Indexes {

    static final Set<RequestStatus> FINISHED = EnumSet.of(RequestStatus.COMPLETED,
            RequestStatus.COMPLETED_WITH_EXCEPTIONS, RequestStatus.REJECTED, RequestStatus.CANCELLED);
    static final Set<SystemStatus> SETTLED = EnumSet.of(SystemStatus.DONE, SystemStatus.NOT_FOUND,
            SystemStatus.RETAINED);
    /** The stats key counting requests that need a person, for any reason. */
    static final String ATTENTION = "attention";
    /** Prefixes of the stats keys counting each system's settled answers and their seconds since filing. */
    static final String ANSWERED = "answered|";
    static final String ANSWER_SECONDS = "answerSeconds|";

    private final KeyValueStore<String, String> byRequested;
    private final KeyValueStore<String, String> byFinished;
    private final KeyValueStore<String, String> openByDeadline;
    private final KeyValueStore<String, Long> stats;
    private final KeyValueStore<String, String> owedSince;

    Indexes(KeyValueStore<String, String> byRequested, KeyValueStore<String, String> byFinished,
            KeyValueStore<String, String> openByDeadline, KeyValueStore<String, Long> stats,
            KeyValueStore<String, String> owedSince) {
        this.byRequested = byRequested;
        this.byFinished = byFinished;
        this.openByDeadline = openByDeadline;
        this.stats = stats;
        this.owedSince = owedSince;
    }

    static String statusKey(RequestStatus status) {
        return "status|" + status.name();
    }

    static String owedKey(String system) {
        return "owed|" + system;
    }

    /** The count of requests filed on {@code day} (UTC), for the console's chart. */
    static String filedKey(Instant at) {
        return "filed|" + day(at);
    }

    /** The count of requests that ended in {@code status} on {@code day} (UTC), for the console. */
    static String finishedKey(RequestStatus status, Instant at) {
        return "finished|" + status.name() + "|" + day(at);
    }

    private static String day(Instant at) {
        return LocalDate.ofInstant(at, ZoneOffset.UTC).toString();
    }

    /** The count of requests that need a person for {@code reason}. */
    static String attentionKey(String reason) {
        return ATTENTION + "|" + reason;
    }

    /** Moves every index from {@code before} (null if new) to {@code after}. */
    void update(RequestState before, RequestState after, Consumer<SubjectEntry> subjectEntries) {
        if (after.status() == null) {
            return; // only early callbacks so far: not a request yet
        }
        final String id = after.requestId();
        final RequestStatus oldStatus = before == null ? null : before.status();
        if (oldStatus == null) {
            byRequested.put(IndexKeys.newestFirst(after.requestedAt(), id), id);
            add(filedKey(after.requestedAt()), 1);
        }
        if (after.finishedAt() != null && (before == null || before.finishedAt() == null)) {
            byFinished.put(IndexKeys.newestFirst(after.finishedAt(), id), id);
            add(finishedKey(after.status(), after.finishedAt()), 1);
        }
        if (!sameOpenDeadline(before, after)) {
            final String oldDeadline = openDeadlineKey(before);
            final String newDeadline = openDeadlineKey(after);
            if (oldDeadline != null) {
                openByDeadline.delete(oldDeadline);
            }
            if (newDeadline != null) {
                openByDeadline.put(newDeadline, id);
            }
        }
        if (oldStatus != after.status()) {
            if (oldStatus != null) {
                add(statusKey(oldStatus), -1);
            }
            add(statusKey(after.status()), 1);
        }
        final Map<String, Integer> owed = owed(after);
        owed(before).forEach((system, count) -> owed.merge(system, -count, Integer::sum));
        owed.forEach((system, delta) -> add(owedKey(system), delta));
        countAnswers(before, after);
        indexObligations(before, after);
        final List<Attention> oldAttention = before == null ? List.of() : before.attention();
        if (!oldAttention.equals(after.attention())) {
            add(ATTENTION, (after.attention().isEmpty() ? 0 : 1) - (oldAttention.isEmpty() ? 0 : 1));
            oldAttention.forEach(reason -> add(attentionKey(reason.name()), -1));
            after.attention().forEach(reason -> add(attentionKey(reason.name()), 1));
        }
        if (oldStatus != after.status() && after.subjectKey() != null) {
            subjectEntries.accept(SubjectEntries.of(after).build());
        }
    }

    /**
     * Takes a request released to the archive out of the indexes that hold an entry per request
     * ever filed: its {@code by-requested} and {@code by-finished} entries, and, through
     * {@code subjectEntries}, its subject index entry (a released {@link SubjectEntry}). Its counts
     * and its {@code owed-since} and {@code open-by-deadline} entries (open ones only) stay.
     */
    void release(RequestState state, Consumer<SubjectEntry> subjectEntries) {
        final String id = state.requestId();
        if (state.requestedAt() != null) {
            byRequested.delete(IndexKeys.newestFirst(state.requestedAt(), id));
        }
        if (state.finishedAt() != null) {
            byFinished.delete(IndexKeys.newestFirst(state.finishedAt(), id));
        }
        if (state.subjectKey() != null && state.status() != null) {
            subjectEntries.accept(SubjectEntries.of(state).setReleased(true).build());
        }
    }

    /** Puts back what {@link #release} took out, for a request back from the archive as {@code state}. */
    void restore(RequestState state, Consumer<SubjectEntry> subjectEntries) {
        final String id = state.requestId();
        if (state.requestedAt() != null) {
            byRequested.put(IndexKeys.newestFirst(state.requestedAt(), id), id);
        }
        if (state.finishedAt() != null) {
            byFinished.put(IndexKeys.newestFirst(state.finishedAt(), id), id);
        }
        if (state.subjectKey() != null && state.status() != null) {
            subjectEntries.accept(SubjectEntries.of(state).build());
        }
    }

    /**
     * Counts each system's first settled answer ({@code answered|<system>}) and adds the seconds
     * from the request's filing to that answer ({@code answerSeconds|<system>}): the console's
     * average answer time per system.
     */
    private void countAnswers(RequestState before, RequestState after) {
        for (SystemTarget system : after.systems()) {
            if (SETTLED.contains(system.status()) && !settled(before, system.name()) && system.updatedAt() != null
                    && after.requestedAt() != null) {
                add(ANSWERED + system.name(), 1);
                add(ANSWER_SECONDS + system.name(),
                        Math.max(0, system.updatedAt().getEpochSecond() - after.requestedAt().getEpochSecond()));
            }
        }
    }

    /**
     * Keeps the {@code owed-since} index: an entry per open obligation, added when it opens (since
     * the request's filing, or for a replayed or covered obligation of a finished request since
     * it was sent) and removed, through the key it remembers, when it settles or the request ends.
     */
    private void indexObligations(RequestState before, RequestState after) {
        final Set<String> was = obligations(before);
        final Set<String> open = obligations(after);
        if (was.equals(open)) {
            return; // the usual callback or reminder
        }
        final String id = after.requestId();
        for (String system : was) {
            if (!open.contains(system)) {
                final String entry = IndexKeys.owedEntry(id, system);
                final String key = owedSince.get(entry);
                if (key != null) {
                    owedSince.delete(key);
                    owedSince.delete(entry);
                }
            }
        }
        for (SystemTarget target : after.systems()) {
            if (open.contains(target.name()) && !was.contains(target.name())) {
                final Instant since = FINISHED.contains(after.status()) && target.updatedAt() != null
                        ? target.updatedAt() : after.requestedAt();
                final String key = IndexKeys.owed(target.name(), since == null ? after.updatedAt() : since, id);
                owedSince.put(key, id);
                owedSince.put(IndexKeys.owedEntry(id, target.name()), key);
            }
        }
    }

    /**
     * The systems {@code state} holds an open obligation of: every unsettled target of an
     * unfinished request (as {@code owed|<system>} counts them), and the replayed or covered
     * targets of a completed request still waiting for an answer.
     */
    private static Set<String> obligations(RequestState state) {
        final Set<String> systems = new HashSet<>();
        if (state == null || state.status() == null) {
            return systems;
        }
        final boolean finished = FINISHED.contains(state.status());
        if (finished && state.status() != RequestStatus.COMPLETED
                && state.status() != RequestStatus.COMPLETED_WITH_EXCEPTIONS) {
            return systems;
        }
        for (SystemTarget target : state.systems()) {
            if (!SETTLED.contains(target.status()) && !(finished && target.status() == SystemStatus.FAILED)) {
                systems.add(target.name());
            }
        }
        return systems;
    }

    private static boolean settled(RequestState state, String system) {
        if (state == null) {
            return false;
        }
        for (SystemTarget target : state.systems()) {
            if (target.name().equals(system)) {
                return SETTLED.contains(target.status());
            }
        }
        return false;
    }

    /** Cheaply true when both states are open with the same deadline (the usual callback). */
    private static boolean sameOpenDeadline(RequestState before, RequestState after) {
        return before != null && before.status() != null && !FINISHED.contains(before.status())
                && !FINISHED.contains(after.status()) && Objects.equals(before.deadline(), after.deadline());
    }

    private static String openDeadlineKey(RequestState state) {
        if (state == null || state.status() == null || FINISHED.contains(state.status())
                || state.deadline() == null) {
            return null;
        }
        return IndexKeys.earliestFirst(state.deadline(), state.requestId());
    }

    /** The systems an unfinished request still owes an erasure from. */
    private static Map<String, Integer> owed(RequestState state) {
        final Map<String, Integer> owed = new HashMap<>();
        if (state == null || state.status() == null || FINISHED.contains(state.status())) {
            return owed;
        }
        for (SystemTarget system : state.systems()) {
            if (!SETTLED.contains(system.status())) {
                owed.merge(system.name(), 1, Integer::sum);
            }
        }
        return owed;
    }

    private void add(String key, long delta) {
        if (delta == 0) {
            return;
        }
        final Long current = stats.get(key);
        final long next = (current == null ? 0 : current) + delta;
        if (next == 0) {
            stats.delete(key);
        } else {
            stats.put(key, next);
        }
    }
}
