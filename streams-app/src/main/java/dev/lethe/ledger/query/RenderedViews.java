package dev.lethe.ledger.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.lethe.ledger.domain.RequestState;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JSON of a request's view ({@link RequestView}, internal or public), kept per request and
 * written again only when what the view shows changed: each read builds the view afresh
 * ({@link RequestView#of}, cheap) and reuses the JSON kept with an equal view, so the state and the
 * clock (the {@code overdue} flags) are both accounted for. A status polled many times is written
 * once per change instead of once per read. The answer is byte for byte what writing the view
 * afresh gives.
 *
 * <p>What is kept is the view and its JSON, never the {@link RequestState}: a view holds no
 * identifier value, no data key, only what the status API shows (and, in the internal view, the
 * intake fingerprint). A finished request's view is kept only once its fingerprint is gone (it is
 * dropped when the request is forgotten), so nothing of it outlives {@code LETHE_FORGET_AFTER} here.
 * Bounded: JSON longer than {@link #MAX_JSON} characters is not kept, and past {@link #MAX}
 * requests it starts again empty.
 */
final class RenderedViews {

    /** How many requests' views are kept, for each of the two views. */
    static final int MAX = 4096;
    /** A view whose JSON is longer than this (64 KB) is written every time. */
    static final int MAX_JSON = 64 * 1024;

    private record Rendered(RequestView view, String json) {
    }

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
        final RequestView view = RequestView.of(state, now);
        final Rendered known = views.get(view.id());
        if (known != null && known.view().equals(view)) {
            return known.json();
        }
        final String json = write(asPublic ? publicView : internal, view);
        if (json.length() > MAX_JSON || finished(state) && view.fingerprint() != null) {
            views.remove(view.id());
            return json;
        }
        if (views.size() >= MAX) {
            views.clear();
        }
        views.put(view.id(), new Rendered(view, json));
        return json;
    }

    private static boolean finished(RequestState state) {
        return state.status() != null && state.status().finished();
    }

    private static String write(ObjectWriter writer, Object view) {
        try {
            return writer.writeValueAsString(view);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
