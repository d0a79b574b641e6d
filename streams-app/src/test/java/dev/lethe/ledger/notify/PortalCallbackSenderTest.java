package dev.lethe.ledger.notify;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.lethe.avro.Notification;
import dev.lethe.avro.OpenDsrPortal;
import dev.lethe.avro.RequestStatus;
import dev.lethe.schemas.opendsr.OpenDsrHeaders;
import dev.lethe.schemas.opendsr.PortalHosts;
import dev.lethe.schemas.opendsr.Signatures;
import dev.lethe.schemas.opendsr.SigningPair;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The signed status callbacks to a portal, against real local HTTP servers. */
class PortalCallbackSenderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SigningPair LETHE = SigningPair.local(null, "lethe.test");
    private static final String SRID = "a7551968-d5d6-44b2-9831-815ac9017798";
    private static final Instant AT = Instant.parse("2026-03-02T09:00:00Z");

    /** One portal endpoint: what it received, and how many calls it still fails. */
    private static final class Portal {
        final HttpServer server;
        final List<Received> received = new CopyOnWriteArrayList<>();
        final AtomicInteger failuresLeft = new AtomicInteger();

        Portal() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/cb", exchange -> {
                final byte[] body = exchange.getRequestBody().readAllBytes();
                final boolean fail = failuresLeft.getAndDecrement() > 0;
                if (!fail) {
                    received.add(new Received(body, exchange.getRequestHeaders().getFirst(OpenDsrHeaders.SIGNATURE),
                            exchange.getRequestHeaders().getFirst(OpenDsrHeaders.DOMAIN)));
                }
                exchange.sendResponseHeaders(fail ? 503 : 200, -1);
                exchange.close();
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/cb";
        }

        List<String> statuses() {
            return received.stream().map(r -> json(r.body()).path("request_status").asText()).toList();
        }
    }

    private record Received(byte[] body, String signature, String domain) {
    }

    private final List<Portal> portals = new CopyOnWriteArrayList<>();
    private PortalCallbackSender sender;

    private Portal portal() throws IOException {
        final Portal p = new Portal();
        portals.add(p);
        return p;
    }

    private PortalCallbackSender sender(String... hosts) {
        sender = new PortalCallbackSender(new PortalCallbackConfig(new PortalHosts(Set.of(hosts)), () -> LETHE, 5,
                Duration.ofMillis(20), Duration.ofSeconds(2)));
        return sender;
    }

    @AfterEach
    void stop() {
        portals.forEach(p -> p.server.stop(0));
        if (sender != null) {
            sender.close();
        }
    }

    private static JsonNode json(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Notification changed(RequestStatus previous, RequestStatus status, Instant at, String... urls) {
        return Notification.newBuilder().setRequestId("req-1").setType("STATUS_CHANGED").setStatus(status)
                .setPreviousStatus(previous).setJurisdiction("GDPR").setAt(at)
                .setOpendsr(new OpenDsrPortal(SRID, "submitter", AT.plus(Duration.ofDays(30)).toString(), List.of(urls)))
                .build();
    }

    @Test
    void shouldPostTheStatusSignedWithLethesKeyToEachCallbackUrl() throws Exception {
        final Portal portal = portal();
        sender("127.0.0.1");

        assertEquals(1, sender.deliver(changed(null, RequestStatus.IN_PROGRESS, AT, portal.url())));

        final Received got = portal.received.get(0);
        assertDoesNotThrow(() -> Signatures.verify(LETHE.certificate(), got.body(), got.signature()));
        assertEquals("lethe.test", got.domain());
        final JsonNode body = json(got.body());
        assertEquals("in_progress", body.path("request_status").asText());
        assertEquals(SRID, body.path("subject_request_id").asText());
        assertEquals(portal.url(), body.path("status_callback_url").asText());
        assertEquals("submitter", body.path("controller_id").asText());
        assertEquals("2026-04-01T09:00:00Z", body.path("expected_completion_time").asText());
        assertEquals("2.0", body.path("api_version").asText());
    }

    @Test
    void shouldRetryAFailingPortalWithoutHoldingUpAnother() throws Exception {
        final Portal down = portal();
        final Portal up = portal();
        down.failuresLeft.set(2);
        sender("127.0.0.1");

        assertEquals(1, sender.deliver(changed(null, RequestStatus.IN_PROGRESS, AT, down.url(), up.url())));

        assertEquals(List.of("in_progress"), up.statuses());
        await().atMost(Duration.ofSeconds(10)).until(() -> down.statuses().equals(List.of("in_progress")));
    }

    @Test
    void shouldCallBackOnlyWhenTheOpenDsrStatusChanges() throws Exception {
        final Portal portal = portal();
        sender("127.0.0.1");

        sender.deliver(changed(null, RequestStatus.PENDING_APPROVAL, AT, portal.url()));
        sender.deliver(changed(RequestStatus.PENDING_APPROVAL, RequestStatus.SCHEDULED, AT.plusSeconds(1),
                portal.url()));
        sender.deliver(changed(RequestStatus.SCHEDULED, RequestStatus.IN_PROGRESS, AT.plusSeconds(2), portal.url()));
        sender.deliver(changed(RequestStatus.IN_PROGRESS, RequestStatus.CANCELLED, AT.plusSeconds(3), portal.url()));
        sender.deliver(Notification.newBuilder(changed(null, RequestStatus.IN_PROGRESS, AT, portal.url()))
                .setType("OVERDUE").build());

        assertEquals(List.of("pending", "in_progress", "cancelled"), portal.statuses());
        assertEquals(0, sender.tracked(), "nothing kept once the final status went through");
    }

    @Test
    void refusesToCallAUrlWhoseHostIsNotAllowed() throws Exception {
        final Portal portal = portal();
        sender("portal.example");

        assertEquals(0, sender.deliver(changed(null, RequestStatus.IN_PROGRESS, AT, portal.url())));

        assertTrue(portal.received.isEmpty());
    }

    @Test
    void shouldDropTheRetryOfAnOlderStatusOnceANewerOneWentThrough() throws Exception {
        final Portal portal = portal();
        portal.failuresLeft.set(1);
        sender("127.0.0.1");

        sender.deliver(changed(null, RequestStatus.IN_PROGRESS, AT, portal.url()));
        sender.deliver(changed(RequestStatus.IN_PROGRESS, RequestStatus.COMPLETED, AT.plusSeconds(1), portal.url()));

        assertEquals(List.of("completed"), portal.statuses());
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> portal.statuses().equals(List.of("completed")));
    }

    @Test
    void shouldRetryAFailedStatusOnlyWhileItIsStillTheNewestEvenAtTheSameTime() throws Exception {
        final Portal portal = portal();
        portal.failuresLeft.set(1);
        sender("127.0.0.1");

        sender.deliver(changed(null, RequestStatus.PENDING_APPROVAL, AT, portal.url()));
        sender.deliver(changed(RequestStatus.PENDING_APPROVAL, RequestStatus.IN_PROGRESS, AT, portal.url()));

        assertEquals(List.of("in_progress"), portal.statuses());
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3))
                .until(() -> portal.statuses().equals(List.of("in_progress")));
    }

    @Test
    void shouldHandTheFirstAttemptsToTheRetryTimerOnceTheBudgetIsSpent() throws Exception {
        final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        final AtomicInteger calls = new AtomicInteger();
        final HttpServer silent = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        silent.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        silent.createContext("/cb", exchange -> {
            calls.incrementAndGet();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        silent.start();
        try {
            final String base = "http://127.0.0.1:" + silent.getAddress().getPort() + "/cb";
            sender = new PortalCallbackSender(new PortalCallbackConfig(new PortalHosts(Set.of("127.0.0.1")),
                    () -> LETHE, 1, Duration.ofMillis(20), Duration.ofMillis(300)), Duration.ofMillis(100));

            final long start = System.nanoTime();
            sender.deliver(changed(null, RequestStatus.IN_PROGRESS, AT, base + "?1", base + "?2", base + "?3",
                    base + "?4", base + "?5"));
            final Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertTrue(took.compareTo(Duration.ofMillis(300 * 2 + 100 + 200)) < 0, "one call past the budget: " + took);
            await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() == 5);
        } finally {
            release.countDown();
            silent.stop(0);
        }
    }

    @Test
    void shouldSetAPollIntervalLongerThanAPollAgainstSilentPortalsCanTake() {
        for (Duration timeout : List.of(Duration.ofSeconds(10), Duration.ofMinutes(10))) {
            final Duration worstPoll = PortalCallbackSender.FIRST_ATTEMPTS_BUDGET.plus(timeout.multipliedBy(2))
                    .multipliedBy(PortalCallbacks.MAX_POLL_RECORDS);

            assertTrue(worstPoll.compareTo(PortalCallbacks.maxPollInterval(timeout)) < 0, timeout.toString());
        }
        assertTrue(PortalCallbacks.MAX_POLL_RECORDS <= 10);
    }
}
