package dev.lethe.ledger.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.lethe.ledger.domain.RequestState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JSON of a request's view ({@link RequestView}, internal or public), kept per request and
 * written again only when its state changed or time changed what the view shows: a view depends on
 * the clock only through its {@code overdue} flags (the request's and each system's), so a view is
 * reused while the state is the same and every flag is as it was. A status polled many times is
 * written once per change instead of once per read. The answer is byte for byte what writing the
 * view afresh gives.
 *
 * <p>Bounded: past {@link #MAX} requests it starts again empty. Views hold no identifier values.
 */
final class RenderedViews {

    /** How many requests' views are kept, for each of the two views. */
    static final int MAX = 4096;
    /** A request with more systems than this is written every time (its flags do not fit in a long). */
    private static final int MAX_FLAGS = Long.SIZE - 1;

    private record Rendered(RequestState state, long flags, String json) {
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
        final long flags = overdueFlags(state, now);
        final Rendered known = flags < 0 ? null : views.get(state.requestId());
        if (known != null && known.flags() == flags && (known.state() == state || known.state().equals(state))) {
            return known.json();
        }
        final String json = write(asPublic ? publicView : internal, RequestView.of(state, now));
        if (flags >= 0) {
            if (views.size() >= MAX) {
                views.clear();
            }
            views.put(state.requestId(), new Rendered(state, flags, json));
        }
        return json;
    }

    /** Bit 0 the request's {@code overdue}, bit i+1 its i-th system's; -1 when they do not fit. */
    private static long overdueFlags(RequestState state, Instant now) {
        final List<dev.lethe.ledger.domain.SystemTarget> systems = state.systems();
        if (systems.size() > MAX_FLAGS - 1) {
            return -1;
        }
        long flags = state.overdue(now) ? 1 : 0;
        for (int i = 0; i < systems.size(); i++) {
            if (systems.get(i).overdue(now)) {
                flags |= 1L << (i + 1);
            }
        }
        return flags;
    }

    private static String write(ObjectWriter writer, Object view) {
        try {
            return writer.writeValueAsString(view);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
