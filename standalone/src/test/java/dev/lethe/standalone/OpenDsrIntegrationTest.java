package dev.lethe.standalone;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lethe.gateway.GatewayConfig;
import dev.lethe.gateway.GatewayServer;
import dev.lethe.ledger.LedgerApp;
import dev.lethe.ledger.LedgerConfig;
import dev.lethe.schemas.opendsr.FakeProcessor;
import dev.lethe.schemas.opendsr.OpenDsrHeaders;
import dev.lethe.schemas.opendsr.Pki;
import dev.lethe.schemas.opendsr.Signatures;
import dev.lethe.schemas.opendsr.SubjectRequestIds;
import dev.lethe.schemas.opendsr.TrustedRoots;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.concurrent.CopyOnWriteArrayList;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenDSR end to end on a real broker: a request is filed with a processor (a real in-test
 * OpenDSR server with its own CA) and completes through its signed callbacks, a forged and a
 * replayed callback change nothing (the forged one is audited), the certificate of erasure shows
 * the signed evidence; and a request a portal files in OpenDSR form completes, its status is
 * served signed, and the portal (a real in-test HTTP server) is called back signed as its status
 * changes, or when it is cancelled while pending.
 */
@Tag("integration")
class OpenDsrIntegrationTest {

    private static final String APPLICATION_ID = "lethe-it-opendsr";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;

    private static ItCluster cluster;
    private static FakeProcessor processor;
    private static LedgerApp ledger;
    private static GatewayServer gateway;
    private static ApiClient api;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static HttpServer portal;
    /** What the portal received: body and signature headers. */
    private static final List<PortalCall> PORTAL_CALLS = new CopyOnWriteArrayList<>();

    private record PortalCall(byte[] body, String signature, String domain) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    @BeforeAll
    static void start() throws IOException {
        cluster = ItCluster.withRegistry(dir);
        processor = new FakeProcessor();
        final Path trust = Files.writeString(dir.resolve("trust.pem"), Pki.pem(processor.ca().certificate()));
        final Path systems = Files.writeString(dir.resolve("systems.json"), """
                [{"name": "analytics", "owner": "growth", "contact": "growth@example.com", "mode": "opendsr",
                  "namespaces": ["email"],
                  "opendsr": {"url": "%s", "domain": "processor.test",
                              "identities": [{"namespace": "email", "type": "email", "format": "sha256"}]}}]
                """.formatted(processor.url()));
        portal = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        portal.createContext("/opendsr/callbacks", exchange -> {
            PORTAL_CALLS.add(new PortalCall(exchange.getRequestBody().readAllBytes(),
                    exchange.getRequestHeaders().getFirst(OpenDsrHeaders.SIGNATURE),
                    exchange.getRequestHeaders().getFirst(OpenDsrHeaders.DOMAIN)));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        portal.start();
        final int httpPort = LetheEnv.freePort();
        final Map<String, String> ledgerEnv = new HashMap<>(LetheEnv.ledger(cluster, APPLICATION_ID,
                dir.resolve("streams"), LetheEnv.freePort(), systems));
        ledgerEnv.put("LETHE_EXECUTORS", "opendsr");
        ledgerEnv.put("LETHE_OPENDSR_CALLBACK_URL", "http://127.0.0.1:" + httpPort);
        ledgerEnv.put("LETHE_OPENDSR_TRUST_FILE", trust.toString());
        ledgerEnv.put("LETHE_EXECUTOR_RETRY_BASE_MS", "20");
        // portals on the loopback may be called back, signed with the pair the gateway signs with
        ledgerEnv.put("LETHE_OPENDSR_PORTAL_HOSTS", "127.0.0.1");
        ledgerEnv.put("LETHE_OPENDSR_LOCAL_DIR", dir.resolve("secrets").toString());
        ledgerEnv.put("LETHE_OPENDSR_CALLBACK_BACKOFF_MS", "50");
        ledgerEnv.put("LETHE_APPROVAL", "manual:CCPA,auto"); // a CCPA request waits, pending, for an approver
        ledger = LedgerApp.start(LedgerConfig.fromEnvironment(ledgerEnv));
        final Map<String, String> gatewayEnv = new HashMap<>(LetheEnv.gateway(cluster, ledger.queryPort()));
        gatewayEnv.put("LETHE_HTTP_PORT", Integer.toString(httpPort));
        gatewayEnv.put("LETHE_OPENDSR_TRUST_FILE", trust.toString());
        gatewayEnv.put("LETHE_OPENDSR_LOCAL_DIR", dir.resolve("secrets").toString());
        gatewayEnv.put("LETHE_OPENDSR_PORTAL_HOSTS", "127.0.0.1");
        gateway = new GatewayServer(GatewayConfig.fromEnvironment(gatewayEnv)).start();
        api = new ApiClient(gateway.port(), LetheEnv.ADMIN_TOKEN);
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (ledger != null) {
            ledger.close();
        }
        if (processor != null) {
            processor.close();
        }
        if (portal != null) {
            portal.stop(0);
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static String status(String id) {
        return api.get("/v1/erasures/" + id).json().path("status").asText();
    }

    private static String callbackUrl(String id) {
        return "http://127.0.0.1:" + gateway.port() + "/opendsr/v1/callbacks/analytics/" + id;
    }

    @Test
    void shouldCompleteThroughSignedCallbacksAndRefuseForgedAndReplayedOnes() throws Exception {
        // Given a request for a subject the processor holds
        final ApiClient.Response filed = api.post("/v1/erasures", ApiClient.json(Map.of(
                "subject", Map.of("namespace", "email", "value", "it-" + UUID.randomUUID() + "@example.com"),
                "jurisdiction", "GDPR", "reason", "account_deleted", "source", "accounts-service")));
        assertEquals(202, filed.status(), filed.body());
        final String id = filed.json().path("id").asText();
        final String subjectRequestId = SubjectRequestIds.of(id, "analytics");

        // When the executor has filed it, and the processor calls back signed
        await("filed with the processor").atMost(WAIT).until(() -> processor.knows(subjectRequestId));
        await("receipt recorded").atMost(WAIT).until(() -> "IN_PROGRESS".equals(
                api.get("/v1/erasures/" + id).json().path("systems").get(0).path("status").asText()));
        final FakeProcessor.Signed forged = processor.callback(subjectRequestId, callbackUrl(id), "completed", true);
        final int forgedAnswer = processor.post(callbackUrl(id), forged, OpenDsrHeaders.SIGNATURE,
                OpenDsrHeaders.DOMAIN);
        assertEquals(List.of(202), processor.sendCallbacks(subjectRequestId, "in_progress"));
        assertEquals(List.of(202), processor.sendCallbacks(subjectRequestId, "completed"));

        // Then the forged one was refused, audited, and changed nothing; the signed ones completed the request
        assertEquals(403, forgedAnswer);
        await("refusal audited").atMost(WAIT).until(() -> auditTypes(id).contains("OPENDSR_CALLBACK_REFUSED"));
        await("completed").atMost(WAIT).until(() -> "COMPLETED".equals(status(id)));
        final JsonNode certificate = api.get("/v1/erasures/" + id + "/certificate").json();
        final JsonNode evidence = certificate.path("systems").get(0).path("signedEvidence");
        assertEquals(3, evidence.size(), certificate.toString());
        assertTrue(evidence.get(0).asText().startsWith("opendsr receipt"), evidence.toString());
        assertTrue(evidence.get(2).asText().startsWith("opendsr callback status=completed"), evidence.toString());
        assertTrue(certificate.path("audit").path("verified").asBoolean(), certificate.toString());

        // And a replay of the signed completion (RSA PKCS#1 v1.5 signs the same bytes the same) changes nothing
        final int factsBefore = api.get("/v1/erasures/" + id + "/audit").json().size();
        final FakeProcessor.Signed again = processor.callback(subjectRequestId, callbackUrl(id), "completed", false);
        assertEquals(200, processor.post(callbackUrl(id), again, OpenDsrHeaders.SIGNATURE, OpenDsrHeaders.DOMAIN));
        assertEquals(200, processor.post(callbackUrl(id), again, OpenDsrHeaders.LEGACY_SIGNATURE,
                OpenDsrHeaders.LEGACY_DOMAIN));
        assertEquals(factsBefore, api.get("/v1/erasures/" + id + "/audit").json().size());
        assertEquals(1, processor.filed().stream()
                .filter(f -> subjectRequestId.equals(f.path("subject_request_id").asText())).count(), "filed once");
    }

    @Test
    void shouldCompleteARequestFiledInOpenDsrFormAndServeItsStatusSigned() throws Exception {
        final String subjectRequestId = UUID.randomUUID().toString();
        final String body = """
                {"subject_request_id": "%s", "subject_request_type": "erasure", "regulation": "gdpr",
                 "submitted_time": "2026-11-01T15:00:00Z",
                 "subject_identities": [{"identity_type": "email", "identity_value": "portal-%s@example.com",
                                         "identity_format": "raw"}]}""".formatted(subjectRequestId, subjectRequestId);

        final HttpResponse<byte[]> receipt = call("POST", "/opendsr/v1/requests", body);
        assertEquals(201, receipt.statusCode());
        verifySigned(receipt);

        // The request reaches the processor through the opendsr executor; the processor completes it
        final String letheId = UUID.nameUUIDFromBytes(("lethe-opendsr\n" + Signatures.sha256(LetheEnv.ADMIN_TOKEN)
                + "\n" + subjectRequestId).getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
        final String onward = SubjectRequestIds.of(letheId, "analytics");
        await("filed onward").atMost(WAIT).until(() -> processor.knows(onward));
        await("receipt recorded").atMost(WAIT).until(() -> statusOf(subjectRequestId).equals("in_progress")
                && "IN_PROGRESS".equals(api.get("/v1/erasures/" + letheId).json().path("systems").get(0)
                .path("status").asText()));
        assertEquals(List.of(202), processor.sendCallbacks(onward, "completed"));

        await("served completed").atMost(WAIT).until(() -> statusOf(subjectRequestId).equals("completed"));
        final HttpResponse<byte[]> status = call("GET", "/opendsr/v1/requests/" + subjectRequestId, null);
        verifySigned(status);
        assertEquals("completed", JSON.readTree(status.body()).path("request_status").asText());
    }

    @Test
    void shouldCallThePortalBackSignedAsARequestFiledInOpenDsrFormCompletes() throws Exception {
        final String subjectRequestId = UUID.randomUUID().toString();
        final String callbackUrl = portalUrl(subjectRequestId);
        final HttpResponse<byte[]> receipt = call("POST", "/opendsr/v1/requests",
                portalRequest(subjectRequestId, "gdpr", callbackUrl));
        assertEquals(201, receipt.statusCode(), new String(receipt.body(), StandardCharsets.UTF_8));
        final String onward = SubjectRequestIds.of(letheId(subjectRequestId), "analytics");
        await("filed onward").atMost(WAIT).until(() -> processor.knows(onward));
        await("receipt recorded").atMost(WAIT).until(() -> statusOf(subjectRequestId).equals("in_progress"));

        assertEquals(List.of(202), processor.sendCallbacks(onward, "completed"));

        await("portal told completed").atMost(WAIT).until(() -> portalStatuses(subjectRequestId).contains("completed"));
        final List<String> statuses = portalStatuses(subjectRequestId);
        assertEquals("completed", statuses.get(statuses.size() - 1), statuses.toString());
        assertEquals(List.of("in_progress", "completed"), withoutRepeats(statuses), statuses.toString());
        final X509Certificate lethe = letheCertificate();
        for (PortalCall received : portalCalls(subjectRequestId)) {
            assertDoesNotThrow(() -> Signatures.verify(lethe, received.body(), received.signature()));
            assertEquals("localhost", received.domain());
            assertEquals(callbackUrl, received.json().path("status_callback_url").asText());
            assertEquals("admin", received.json().path("controller_id").asText());
            assertTrue(received.json().path("expected_completion_time").isTextual(), received.json().toString());
        }
    }

    @Test
    void shouldTellThePortalCancelledWhenItsPendingRequestIsCancelled() throws Exception {
        final String subjectRequestId = UUID.randomUUID().toString();
        final HttpResponse<byte[]> receipt = call("POST", "/opendsr/v1/requests",
                portalRequest(subjectRequestId, "ccpa", portalUrl(subjectRequestId)));
        assertEquals(201, receipt.statusCode(), new String(receipt.body(), StandardCharsets.UTF_8));
        await("portal told pending").atMost(WAIT).until(() -> portalStatuses(subjectRequestId).contains("pending"));

        assertEquals(202, call("DELETE", "/opendsr/v1/requests/" + subjectRequestId, null).statusCode());

        await("portal told cancelled").atMost(WAIT)
                .until(() -> portalStatuses(subjectRequestId).contains("cancelled"));
        final List<String> told = portalStatuses(subjectRequestId);
        assertEquals(List.of("pending", "cancelled"), withoutRepeats(told), told.toString());
        final X509Certificate lethe = letheCertificate();
        for (PortalCall received : portalCalls(subjectRequestId)) {
            assertDoesNotThrow(() -> Signatures.verify(lethe, received.body(), received.signature()));
        }
    }

    @Test
    void refusesACallbackUrlOutsideTheAllowList() throws Exception {
        final String subjectRequestId = UUID.randomUUID().toString();

        final HttpResponse<byte[]> refused = call("POST", "/opendsr/v1/requests",
                portalRequest(subjectRequestId, "gdpr", "https://attacker.example/opendsr/callbacks"));

        assertEquals(400, refused.statusCode());
        final JsonNode error = JSON.readTree(refused.body());
        assertEquals("status_callback_urls[0]", error.path("field").asText(), error.toString());
        assertEquals(404, call("GET", "/opendsr/v1/requests/" + subjectRequestId, null).statusCode());
    }

    private static String portalUrl(String subjectRequestId) {
        return "http://127.0.0.1:" + portal.getAddress().getPort() + "/opendsr/callbacks/" + subjectRequestId;
    }

    private static String portalRequest(String subjectRequestId, String regulation, String callbackUrl) {
        return """
                {"subject_request_id": "%s", "subject_request_type": "erasure", "regulation": "%s",
                 "submitted_time": "2026-11-01T15:00:00Z",
                 "subject_identities": [{"identity_type": "email", "identity_value": "portal-%s@example.com",
                                         "identity_format": "raw"}],
                 "status_callback_urls": ["%s"]}""".formatted(subjectRequestId, regulation, subjectRequestId,
                callbackUrl);
    }

    private static String letheId(String subjectRequestId) {
        return UUID.nameUUIDFromBytes(("lethe-opendsr\n" + Signatures.sha256(LetheEnv.ADMIN_TOKEN) + "\n"
                + subjectRequestId).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static List<PortalCall> portalCalls(String subjectRequestId) throws IOException {
        final List<PortalCall> mine = new ArrayList<>();
        for (PortalCall received : PORTAL_CALLS) {
            if (subjectRequestId.equals(received.json().path("subject_request_id").asText())) {
                mine.add(received);
            }
        }
        return mine;
    }

    private static List<String> portalStatuses(String subjectRequestId) throws IOException {
        final List<String> statuses = new ArrayList<>();
        for (PortalCall received : portalCalls(subjectRequestId)) {
            statuses.add(received.json().path("request_status").asText());
        }
        return statuses;
    }

    private static X509Certificate letheCertificate() throws Exception {
        return TrustedRoots.parse(call("GET", "/opendsr/v1/certificate.pem", null).body()).get(0);
    }

    private static List<String> auditTypes(String id) {
        final List<String> types = new ArrayList<>();
        api.get("/v1/erasures/" + id + "/audit").json().forEach(fact -> types.add(fact.path("type").asText()));
        return types;
    }

    private static String statusOf(String subjectRequestId) throws Exception {
        final HttpResponse<byte[]> response = call("GET", "/opendsr/v1/requests/" + subjectRequestId, null);
        return response.statusCode() == 200 ? JSON.readTree(response.body()).path("request_status").asText() : "";
    }

    private static void verifySigned(HttpResponse<byte[]> response) throws Exception {
        final X509Certificate certificate = TrustedRoots.parse(
                call("GET", "/opendsr/v1/certificate.pem", null).body()).get(0);
        assertDoesNotThrow(() -> Signatures.verify(certificate, response.body(),
                response.headers().firstValue(OpenDsrHeaders.SIGNATURE).orElse(null)));
    }

    private static HttpResponse<byte[]> call(String method, String path, String body) throws Exception {
        final HttpRequest.Builder builder = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + gateway.port() + path))
                .header("Authorization", "Bearer " + LetheEnv.ADMIN_TOKEN)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            builder.header("Content-Type", "application/json");
        }
        return HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /**
     * {@code statuses} in the order the portal heard them, a status repeated right after itself
     * counted once (delivery is at least once); any other repeat, such as pending, cancelled,
     * pending, stays and fails the comparison.
     */
    static List<String> withoutRepeats(List<String> statuses) {
        final List<String> runs = new java.util.ArrayList<>();
        for (String status : statuses) {
            if (runs.isEmpty() || !runs.get(runs.size() - 1).equals(status)) {
                runs.add(status);
            }
        }
        return runs;
    }
}
