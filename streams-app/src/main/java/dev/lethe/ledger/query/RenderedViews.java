package dev.lethe.ledger.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.lethe.ledger.domain.RequestState;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JSON of a request's view ({@link RequestView}, internal or public), kept per request and
 * written again only when what the view shows changed: each read builds the view afresh
 * ({@link RequestView#of}, cheap) and reuses the JSON kept with an equal view, so the state and the
 * clock (the {@code overdue} flags) are both accounted for. A status polled many times is written
 * once per change instead of once per read. The answer is byte for byte what writing the view
 * afresh gives.
 *
 * <p>What is kept is the view and its JSON, never the {@link RequestState}, and without the intake
 * fingerprint (an unkeyed hash over the identifiers, docs/privacy.md): the JSON is kept in two parts
 * around it and the fingerprint of the view built afresh is put in between. So nothing kept holds an
 * identifier value, a key or the fingerprint, and nothing needs forgetting when the request is
 * forgotten. Bounded: JSON longer than {@link #MAX_JSON} characters is not kept, and past
 * {@link #MAX} requests it starts again empty.
 */
final class RenderedViews {

    /** How many requests' views are kept, for each of the two views. */
    static final int MAX = 4096;
    /** A view whose JSON is longer than this (64 KB) is written every time. */
    static final int MAX_JSON = 64 * 1024;

    /** The view without its fingerprint, and its JSON before and after the fingerprint (null: none shown). */
    private record Rendered(RequestView view, String before, String after) {

        String json(ObjectWriter writer, String fingerprint) {
            return after == null ? before : before + write(writer, fingerprint) + after;
        }
    }

    /** Written in the fingerprint's place to find where it goes; random, so no field can hold it by chance. */
    private final String placeholder = UUID.randomUUID().toString();
    private final ObjectWriter internal;
    private final ObjectWriter publicView;
    private final Map<String, Rendered> internalViews = new ConcurrentHashMap<>();
    private final Map<String, Rendered> publicViews = new ConcurrentHashMap<>();

    RenderedViews(ObjectWriter internal, ObjectWriter publicView) {
        this.internal = internal;
        this.publicView = publicView;
    }

    /** The JSON of {@code state}'s view at {@code now}, without its internal fields when {@code asPublic}. */
    String json(RequestState state, boolean asPublic, Instant now) {
        final Map<String, Rendered> views = asPublic ? publicViews : internalViews;
        final ObjectWriter writer = asPublic ? publicView : internal;
        final RequestView fresh = RequestView.of(state, now);
        final RequestView view = withFingerprint(fresh, null);
        final Rendered known = views.get(view.id());
        if (known != null && known.view().equals(view)) {
            return known.json(writer, fresh.fingerprint());
        }
        final String marked = write(writer, withFingerprint(fresh, placeholder));
        final String mark = '"' + placeholder + '"';
        final int at = marked.indexOf(mark);
        if (at >= 0 && marked.lastIndexOf(mark) != at) {
            views.remove(view.id());
            return write(writer, fresh);
        }
        final Rendered rendered = at < 0 ? new Rendered(view, marked, null)
                : new Rendered(view, marked.substring(0, at), marked.substring(at + mark.length()));
        if (marked.length() > MAX_JSON) {
            views.remove(view.id());
        } else {
            if (views.size() >= MAX) {
                views.clear();
            }
            views.put(view.id(), rendered);
        }
        return rendered.json(writer, fresh.fingerprint());
    }

    private static RequestView withFingerprint(RequestView v, String fingerprint) {
        return new RequestView(v.id(), v.status(), v.subjectKey(), v.jurisdiction(), v.reason(), v.source(),
                v.requestedAt(), v.deadline(), v.finishedAt(), v.overdue(), v.attention(), v.systems(), v.scope(),
                fingerprint, v.duplicateOf());
    }

    private static String write(ObjectWriter writer, Object value) {
        try {
            return writer.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
