package dev.lethe.ledger.topology;

import dev.lethe.avro.AuditFact;
import dev.lethe.avro.SubjectEntry;
import dev.lethe.ledger.archive.ArchiveView;
import dev.lethe.ledger.archive.ArchiveView.Archived;
import dev.lethe.ledger.domain.RequestState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger processor's side of the archive (issue 19, docs/lifecycle.md "Where a request is
 * kept"), so that a restart restores only open and recently finished requests:
 * <ul>
 *   <li><b>archive</b>: a request whose stored state changed and that is finished, holding no
 *   identifier and no data key (forgotten), goes to {@code erasure.archive} with its whole audit
 *   trail, and a release wake is put {@code LETHE_ARCHIVE_RELEASE_AFTER} later (one whose record
 *   would be too large stays in the task stores, and a tombstone takes any earlier version out of
 *   the archive);</li>
 *   <li><b>release</b>: at that wake, once this instance's copy of the archive holds the same
 *   state, the request leaves the {@code ledger} store, its {@code audit} range, the recent
 *   states, its {@code by-requested} and {@code by-finished} entries and (a released entry on
 *   {@code erasure.subject-index}) the {@code subjects} store; its counts and open obligations'
 *   entries stay. A copy that does not hold it yet is asked again later; a request that changed
 *   since is not released, and the wake is dropped (archived again, it has a wake of its own);</li>
 *   <li><b>rehydrate</b>: a request neither store holds is looked up in the archive and handled
 *   as if it were still stored; when an event changes it, before its new state is stored, its
 *   archived trail goes back into the {@code audit} store, its list entries and its subject entry
 *   are put back, and a tombstone takes it out of the archive, so the task stores are again its
 *   only home (finished and forgotten again, it is archived again).</li>
 * </ul>
 * Every write of one event or wake is in the task's one transaction.
 * One per task, on the stream thread.
 */
final class ArchiveKeeper {

    /**
     * The due index value of a release wake: {@code archived:<request id>@<audit head>}, the head of
     * the version archived ({@code archived:<request id>}, without it, from earlier releases).
     */
    static final String RELEASE_PREFIX = "archived:";
    private static final char HEAD_SEPARATOR = '@';

    /** Where the keeper writes, in the task's transaction. */
    interface Sink {
        /** {@code archived} on {@code erasure.archive}, keyed by request id. */
        void archive(String requestId, Archived archived, Instant at);

        /** A tombstone for {@code requestId} on {@code erasure.archive}: back in the task stores. */
        void unarchive(String requestId, Instant at);

        /** {@code entry} on {@code erasure.subject-index}, keyed by its subject key. */
        void subjectEntry(SubjectEntry entry, Instant at);
    }

    private static final Logger LOG = LoggerFactory.getLogger(ArchiveKeeper.class);

    private final Archiving archiving;
    private final KeyValueStore<String, RequestState> ledger;
    private final KeyValueStore<String, List<AuditFact>> audit;
    private final KeyValueStore<String, String> due;
    private final RecentStates recent;
    private final Indexes indexes;
    private final Sink sink;
    /** The request last handed out from the archive, as archived, until its state is stored again. */
    private String rehydratedId;
    private Archived rehydrated;

    ArchiveKeeper(Archiving archiving, KeyValueStore<String, RequestState> ledger,
                  KeyValueStore<String, List<AuditFact>> audit, KeyValueStore<String, String> due,
                  RecentStates recent, Indexes indexes, Sink sink) {
        this.archiving = archiving;
        this.ledger = ledger;
        this.audit = audit;
        this.due = due;
        this.recent = recent;
        this.indexes = indexes;
        this.sink = sink;
    }

    static boolean isRelease(String dueValue) {
        return dueValue.startsWith(RELEASE_PREFIX);
    }

    /** The archived state of {@code requestId}, or null when the archive does not hold it. */
    RequestState rehydrate(String requestId) {
        final Archived archived = archiving.view().get(requestId);
        if (archived == null) {
            return null;
        }
        rehydratedId = requestId;
        rehydrated = archived;
        return archived.state();
    }

    /**
     * Called before a changed state of {@code requestId} is stored (and before the indexes move to
     * it): a request that came from the archive gets back its archived trail in the {@code audit}
     * store (one piece under its first fact's key), its {@code by-requested} and {@code by-finished}
     * entries and its subject entry as archived (forwarded before any entry the event's own change
     * sends), and leaves the archive (a tombstone).
     */
    void restore(String requestId, Instant now) {
        if (requestId.equals(rehydratedId) && ledger.get(requestId) == null) {
            final List<AuditFact> trail = rehydrated.trail();
            if (!trail.isEmpty()) {
                audit.put(AuditKeys.of(requestId, trail.get(0).getSeq()), trail);
            }
            indexes.restore(rehydrated.state(), entry -> sink.subjectEntry(entry, now));
            sink.unarchive(requestId, now);
            LOG.debug("request {} is back from the archive", requestId);
        }
        rehydratedId = null;
        rehydrated = null;
    }

    /** Called after a changed state was stored: archives it when it is finished and forgotten. */
    void archiveIfDone(RequestState next, Instant now) {
        if (!next.received() || !next.status().finished() || !ArchiveSerde.archivable(next)) {
            return;
        }
        final List<AuditFact> trail = trail(next.requestId());
        if (trail.isEmpty() || !Objects.equals(trail.get(trail.size() - 1).getHash(), next.auditHead())) {
            keep(next, now, "its stored audit trail does not end at its head");
            return;
        }
        // a trail that lost its beginning must never replace the whole one on the compacted topic
        final String broken = AuditChain.verify(trail);
        if (broken != null) {
            keep(next, now, "its stored audit trail is not a whole chain (" + broken + ")");
            return;
        }
        final Archived archived = new Archived(next, trail);
        final int size = ArchiveSerde.encode(archived).length;
        if (size > archiving.maxRecordBytes()) {
            // one record holds the whole trail: one over the topic's limit would fail the task's transaction
            // on every retry; the request stays in the task stores instead, as before the archive
            keep(next, now, "its archive record would be " + size + " bytes (more than " + archiving.maxRecordBytes()
                    + ")");
            return;
        }
        sink.archive(next.requestId(), archived, now);
        due.put(DueKeys.of(now.plus(archiving.releaseAfter()), next.requestId()),
                RELEASE_PREFIX + next.requestId() + HEAD_SEPARATOR + next.auditHead());
    }

    /**
     * A finished and forgotten request that cannot be archived now stays in the task stores; an
     * earlier version may be archived (before it came back or changed), so a tombstone takes that out:
     * the archive never answers for a request beside the task stores' newer version.
     */
    private void keep(RequestState next, Instant now, String why) {
        LOG.warn("request {}: {}, so it stays in the task stores", next.requestId(), why);
        sink.unarchive(next.requestId(), now);
    }

    /** The release wake {@code dueValue}: see the class comment. */
    void release(String dueValue, Instant now) {
        final String wake = dueValue.substring(RELEASE_PREFIX.length());
        final int separator = wake.indexOf(HEAD_SEPARATOR);
        final String requestId = separator < 0 ? wake : wake.substring(0, separator);
        final RequestState kept = ledger.get(requestId);
        if (kept == null || !kept.status().finished() || !ArchiveSerde.archivable(kept)) {
            return;
        }
        if (separator >= 0 && !wake.substring(separator + 1).equals(kept.auditHead())) {
            // changed since the version this wake was put for: archived again, it has a wake of its own; not
            // archived again (its record would be too large), it stays in the task stores
            LOG.debug("request {} changed since this release wake was put; the wake is dropped", requestId);
            return;
        }
        if (archiving.view() == ArchiveView.NONE) {
            // no copy of the archive is kept here (tests, tools): nothing is ever released
            return;
        }
        final Archived archived = archiving.view().get(requestId);
        if (archived == null || !archived.state().equals(kept)) {
            // not in this instance's copy yet (nor, for a request that came back, its new version after the
            // tombstone), or the copy holds an earlier version of a request that came back and was archived
            // again: asked again later (this version was archived, so the copy will hold it)
            LOG.debug("request {} is not in this instance's archive as it is stored; released later", requestId);
            // put again with the stored version's head (a wake an earlier version put has none), so that once the
            // request changes the wake is dropped instead of put again for ever
            due.put(DueKeys.of(now.plus(archiving.releaseAfter()), requestId),
                    RELEASE_PREFIX + requestId + HEAD_SEPARATOR + kept.auditHead());
            return;
        }
        ledger.delete(requestId);
        recent.remove(requestId);
        final List<String> pieces = new ArrayList<>();
        try (KeyValueIterator<String, List<AuditFact>> it = audit.range(AuditKeys.first(requestId),
                AuditKeys.last(requestId))) {
            it.forEachRemaining(entry -> pieces.add(entry.key));
        }
        pieces.forEach(audit::delete);
        indexes.release(kept, entry -> sink.subjectEntry(entry, now));
        LOG.debug("request {} released to the archive", requestId);
    }

    /** The request's whole audit trail as the {@code audit} store holds it, oldest fact first. */
    private List<AuditFact> trail(String requestId) {
        final List<AuditFact> trail = new ArrayList<>();
        try (KeyValueIterator<String, List<AuditFact>> it = audit.range(AuditKeys.first(requestId),
                AuditKeys.last(requestId))) {
            it.forEachRemaining(entry -> trail.addAll(entry.value));
        }
        return trail;
    }
}
