package dev.lethe.ledger.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.lethe.avro.SubjectEntry;
import dev.lethe.ledger.domain.RequestState;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.streams.errors.StreamsException;

/**
 * The two reads on the intake and status paths, answered without HTTP for a gateway that runs in
 * the same process as this ledger instance (the embedded default, {@code ./lethe}): a request's
 * view and a subject's look-up, as the same JSON that {@link QueryServer} writes for
 * {@code GET /internal/v1/requests/{id}} and {@code POST /internal/v1/subjects/lookup}.
 *
 * <p>It answers only what this instance holds itself: a request or subject found in its own store
 * (a request moved to the ledger's archive included, as {@link LedgerQueries#find} answers it),
 * or a request that is not there once {@link LedgerQueries#find} has waited for what was written
 * before (the same wait as over HTTP, so a GET after a 202 never answers 404). Everything else —
 * a key owned by another instance, a store that is not queryable now, a subject value the key
 * cannot be made of, a Kafka Streams client that is not running — is {@code null}: the caller asks over HTTP, where the query server forwards,
 * answers 503 with Retry-After, or 400, exactly as before.
 */
public final class InProcessReads {

    /** An answer: {@code status} 200 with the JSON {@code body}, or 404 (no such request). */
    public record Answer(int status, String body) {
    }

    private final LedgerQueries queries;
    private final Clock clock;
    private final RenderedViews views = new RenderedViews(QueryServer.JSON.writer(), QueryServer.PUBLIC_REQUEST);

    public InProcessReads(LedgerQueries queries, Clock clock) {
        this.queries = queries;
        this.clock = clock;
    }

    /**
     * The view of request {@code id} ({@code publicView}: without its internal fields), a 404 when
     * this instance owns the id and it is not there; null when the answer must come over HTTP.
     */
    public Answer request(String id, boolean publicView) {
        if (!queries.state().isRunningOrRebalancing()) {
            return null;
        }
        final Lookup<RequestState> found;
        try {
            found = queries.find(id, null, Duration.ZERO);
        } catch (StreamsException | IllegalStateException e) {
            // stopped meanwhile (Kafka Streams refuses its metadata and stores): over HTTP that is a 503
            return null;
        }
        if (found instanceof Lookup.Found<RequestState> request) {
            return new Answer(200, views.json(request.value(), publicView, clock.instant()));
        }
        if (found instanceof Lookup.NotFound<RequestState>) {
            return new Answer(404, null);
        }
        return null;
    }

    /** What this instance knows of a subject it owns; null when the answer must come over HTTP. */
    public Answer subject(String namespace, String value) {
        if (namespace == null || namespace.isBlank() || value == null || value.isBlank()) {
            return null;
        }
        if (!queries.state().isRunningOrRebalancing()) {
            return null;
        }
        final LedgerQueries.Subject subject;
        try {
            subject = queries.subject(namespace, value);
        } catch (IllegalArgumentException | IllegalStateException | StreamsException e) {
            // a value no key can be made of, or a client that stopped meanwhile: HTTP answers 400 or 503
            return null;
        }
        if (subject.entries() instanceof Lookup.Found<List<SubjectEntry>> entries) {
            return new Answer(200, write(QueryServer.JSON.writer(), SubjectView.of(subject.subjectKey(),
                    entries.value())));
        }
        return null;
    }

    private static String write(ObjectWriter writer, Object view) {
        try {
            return writer.writeValueAsString(view);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
