package dev.lethe.gateway.ops;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.gateway.ledger.LedgerClient;
import dev.lethe.gateway.ledger.LedgerJson;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's Prometheus metrics (Micrometer): an HTTP latency histogram per route template,
 * method and status ({@code lethe_http_server_requests_seconds}), the auth refusals counted by
 * the guard ({@code lethe_auth_refusals_total{reason}}), and gauges of the ledger, refreshed from
 * its cluster-wide stats at most every {@link #STATS_TTL} when scraped: {@code lethe_requests{status}},
 * {@code lethe_requests_overdue}, {@code lethe_system_pending{system}}, the requests that need a
 * person, {@code lethe_requests_attention} (in all) and {@code lethe_requests_attention_by_reason{reason}},
 * {@code lethe_streams_state{server, state}} (1 per instance) and {@code lethe_ledger_stats_up}.
 */
public final class GatewayMetrics {

    public static final Duration STATS_TTL = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(GatewayMetrics.class);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final LedgerClient ledger;
    private final Clock clock;
    private final MultiGauge byStatus;
    private final MultiGauge pending;
    private final MultiGauge streams;
    private final MultiGauge attentionByReason;
    private final AtomicLong overdue = new AtomicLong();
    private final AtomicLong attention = new AtomicLong();
    private final AtomicLong statsUp = new AtomicLong();
    private final Map<Exchange, Timer> timers = new ConcurrentHashMap<>();
    private Instant refreshed = Instant.MIN;

    public GatewayMetrics(LedgerClient ledger, Clock clock) {
        this.ledger = ledger;
        this.clock = clock;
        this.byStatus = MultiGauge.builder("lethe.requests").description("requests by status, cluster-wide")
                .register(registry);
        this.pending = MultiGauge.builder("lethe.system.pending")
                .description("open obligations by system, cluster-wide").register(registry);
        this.streams = MultiGauge.builder("lethe.streams.state")
                .description("1 for each ledger instance in its Kafka Streams state").register(registry);
        Gauge.builder("lethe.requests.overdue", overdue, AtomicLong::get)
                .description("unfinished requests past their deadline").register(registry);
        Gauge.builder("lethe.requests.attention", attention, AtomicLong::get)
                .description("requests that need a person (unrouted, contradicted), cluster-wide").register(registry);
        this.attentionByReason = MultiGauge.builder("lethe.requests.attention.by.reason")
                .description("requests that need a person, by reason, cluster-wide").register(registry);
        Gauge.builder("lethe.ledger.stats.up", statsUp, AtomicLong::get)
                .description("1 when the last read of the ledger's stats succeeded").register(registry);
    }

    /** Where the gateway's meters live (the guard counts refusals here). */
    public MeterRegistry registry() {
        return registry;
    }

    /** Records one HTTP exchange. */
    public void recordHttp(String method, String route, int status, float millis) {
        timers.computeIfAbsent(new Exchange(method, route, status), this::timer)
                .record((long) (millis * 1_000_000), TimeUnit.NANOSECONDS);
    }

    /** The timer of one kind of exchange, registered once: building and registering it per call cost a few per cent. */
    private Timer timer(Exchange exchange) {
        return Timer.builder("lethe.http.server.requests").description("HTTP exchanges by route template and status")
                .tags("method", exchange.method(), "route", exchange.route(), "status",
                        Integer.toString(exchange.status()))
                .publishPercentileHistogram()
                .register(registry);
    }

    /** What an HTTP timer is kept by: the route is the template (a few dozen), never the concrete path. */
    private record Exchange(String method, String route, int status) {
    }

    /** The Prometheus text, with the ledger gauges refreshed when older than {@link #STATS_TTL}. */
    public String scrape() {
        refreshLedgerGauges();
        return registry.scrape();
    }

    private synchronized void refreshLedgerGauges() {
        final Instant now = clock.instant();
        if (now.isBefore(refreshed.plus(STATS_TTL))) {
            return;
        }
        refreshed = now;
        try {
            final JsonNode stats = LedgerJson.parse(ledger.stats());
            byStatus.register(rows(stats.path("byStatus"), "status"), true);
            pending.register(rows(stats.path("pendingBySystem"), "system"), true);
            final List<MultiGauge.Row<?>> instances = new ArrayList<>();
            stats.path("instances").forEach(instance -> instances.add(MultiGauge.Row.of(Tags.of(
                    "server", instance.path("server").asText(""), "state", instance.path("state").asText("")), 1)));
            streams.register(instances, true);
            overdue.set(stats.path("overdue").asLong(0));
            attention.set(stats.path("needsAttention").asLong(0));
            attentionByReason.register(rows(stats.path("attention"), "reason"), true);
            statsUp.set(1);
        } catch (RuntimeException e) {
            statsUp.set(0);
            LOG.warn("cannot read the ledger's stats for /metrics: {}", e.getMessage());
        }
    }

    private static List<MultiGauge.Row<?>> rows(JsonNode counts, String tag) {
        final List<MultiGauge.Row<?>> rows = new ArrayList<>();
        final var fields = counts.fields();
        while (fields.hasNext()) {
            final Map.Entry<String, JsonNode> field = fields.next();
            rows.add(MultiGauge.Row.of(Tags.of(tag, field.getKey()), field.getValue().asLong()));
        }
        return rows;
    }
}
