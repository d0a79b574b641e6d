package dev.lethe.standalone;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.avro.ErasureRequested;
import dev.lethe.avro.Identifier;
import dev.lethe.avro.Scope;
import dev.lethe.gateway.GatewayConfig;
import dev.lethe.gateway.GatewayServer;
import dev.lethe.ledger.LedgerApp;
import dev.lethe.ledger.LedgerConfig;
import dev.lethe.schemas.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.print.PrintOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The officer's day in the web console, in headless Chromium (Debian's packages, installed by
 * {@link HeadlessChromium} when missing) against a real ledger and gateway: sign in with an
 * approver's token, see the dashboard's figures match {@code GET /v1/stats}, approve a pending
 * request, complete a manual system with evidence (and see the API's refusal when the evidence is
 * missing), extend an overdue request, retry a failed system and retry in bulk, open and print a
 * certificate, and, as an admin, look a subject up and edit a system (and see the registry's own
 * validation message).
 *
 * <p>The overdue request is filed straight onto {@code erasure.requests} with a {@code requestedAt}
 * 50 days ago, so its 45-day CCPA deadline has passed when the ledger folds it: no clock is faked
 * and nothing sleeps.
 *
 * <p>With {@code -Dlethe.console.screenshots=<folder>} the same run saves the screenshots of the
 * README ({@code docs/console/*.png}).
 */
@Tag("integration")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserIntegrationTest {

    private static final String APPLICATION_ID = "lethe-it-console";
    private static final String APPROVER_TOKEN = "it-approver-token-0123456789abcdef";
    private static final String MANUAL_SYSTEM = """
            {"name": "paper-archive", "owner": "records-office", "contact": "records@example.com", "mode": "manual",
             "namespaces": ["user_id", "email"], "jurisdictions": [], "tags": ["paper"],
             "slaDays": 14, "reminderHours": 24},""";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String SCREENSHOTS = System.getProperty("lethe.console.screenshots", "");

    @TempDir
    static Path dir;

    private static ItCluster cluster;
    private static LedgerApp ledger;
    private static GatewayServer gateway;
    private static ApiClient admin;
    private static ChromeDriver browser;
    private static String base;
    private static String pending;
    private static String manual;
    private static String certified;
    private static String overdue;

    @BeforeAll
    static void start() throws IOException {
        HeadlessChromium.ensureInstalled();
        cluster = ItCluster.withRegistry(dir);
        final Path systems = Files.writeString(dir.resolve("systems.json"),
                LetheEnv.SYSTEMS_JSON.replaceFirst("\\[", "[" + MANUAL_SYSTEM));
        final Map<String, String> ledgerEnv = LetheEnv.ledger(cluster, APPLICATION_ID, dir.resolve("streams"),
                LetheEnv.freePort(), systems);
        ledgerEnv.put("LETHE_APPROVAL", "manual:GDPR,auto");
        ledger = LedgerApp.start(LedgerConfig.fromEnvironment(ledgerEnv));
        final Map<String, String> gatewayEnv = new HashMap<>(LetheEnv.gateway(cluster, ledger.queryPort()));
        gatewayEnv.put("LETHE_TOKENS_FILE", Files.writeString(dir.resolve("tokens"),
                "approver " + APPROVER_TOKEN + "\n").toString());
        gateway = new GatewayServer(GatewayConfig.fromEnvironment(gatewayEnv)).start();
        admin = new ApiClient(gateway.port(), LetheEnv.ADMIN_TOKEN);
        base = "http://127.0.0.1:" + gateway.port() + "/";
        fileTheDaysRequests();
        browser = HeadlessChromium.start(1280, 900);
    }

    /** One request in each state the officer's day needs, each settled before the browser opens. */
    private static void fileTheDaysRequests() {
        pending = file("GDPR", "u-console-approve", "billing");
        manual = file("CCPA", "u-console-manual", "paper-archive");
        certified = file("CCPA", "u-console-certified", "paper-archive");
        overdue = UUID.randomUUID().toString();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.REQUESTS, overdue, cluster.serdes().request().serialize(
                    Topics.REQUESTS, ErasureRequested.newBuilder().setRequestId(overdue)
                            .setSubject(new Identifier("user_id", "u-console-overdue"))
                            .setJurisdiction("CCPA").setReason("account_deleted").setSource("kafka-partner")
                            .setScope(new Scope(List.of("billing"), List.of()))
                            .setRequestedAt(Instant.now().minus(Duration.ofDays(50))).build())));
        }
        admin.awaitStatus(pending, "PENDING_APPROVAL");
        admin.awaitStatus(manual, "IN_PROGRESS");
        admin.awaitStatus(certified, "IN_PROGRESS");
        assertEquals(202, admin.post("/v1/erasures/" + certified + "/systems/paper-archive/callback",
                "{\"outcome\": \"DONE\", \"itemsErased\": 3, \"detail\": \"paper file shredded, witnessed by J. Park\"}")
                .status());
        admin.awaitStatus(certified, "COMPLETED");
        assertTrue(admin.awaitStatus(overdue, "IN_PROGRESS").path("overdue").asBoolean(), "filed past its deadline");
    }

    private static String file(String jurisdiction, String userId, String system) {
        final ApiClient.Response filed = admin.post("/v1/erasures", """
                {"subject": {"namespace": "user_id", "value": "%s"}, "jurisdiction": "%s",
                 "reason": "account_deleted", "source": "accounts-service", "scope": {"systems": ["%s"]}}"""
                .formatted(userId, jurisdiction, system));
        assertEquals(202, filed.status(), filed.body());
        return filed.json().path("id").asText();
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable component : new AutoCloseable[] {browser == null ? null : browser::quit, gateway, ledger,
                cluster}) {
            if (component != null) {
                try {
                    component.close();
                } catch (Exception e) {
                    throw new IllegalStateException("cannot stop " + component.getClass().getSimpleName(), e);
                }
            }
        }
    }

    @Test
    @Order(1)
    void shouldSignInKeepingTheTokenInSessionStorageOnlyAndShowOnlyWhatTheRoleMayDo() {
        signIn(APPROVER_TOKEN);

        assertEquals("signed in as approver", text(By.id("who")));
        final JavascriptExecutor js = browser;
        assertEquals(APPROVER_TOKEN, js.executeScript("return sessionStorage.getItem('lethe.console.token')"));
        assertEquals(0L, js.executeScript("return localStorage.length"));
        assertTrue(browser.manage().getCookies().isEmpty(), "no cookie holds the token");
        open("#/systems");
        visible(By.cssSelector("#registry tr[data-system='paper-archive']"));
        assertTrue(browser.findElements(By.id("add-system")).isEmpty(), "an approver may not add systems");
        open("#/request/" + pending);
        visible(By.cssSelector("button[data-action='approve']"));
    }

    @Test
    @Order(2)
    void shouldShowTheDashboardFiguresTheApiCounts() {
        final JsonNode stats = admin.get("/v1/stats").json();

        open("#/dashboard");

        assertEquals(stats.path("open").asText(), figure("tile-open"));
        assertEquals(stats.path("overdue").asText(), figure("tile-overdue"));
        assertEquals(stats.path("pendingApproval").asText(), figure("tile-approval"));
        assertEquals(stats.path("needsAttention").asText(), figure("tile-attention"));
        assertEquals(stats.path("completed").asText(), figure("tile-completed"));
        assertEquals(stats.path("dueThisWeek").asText(), figure("tile-due"));
        assertEquals(stats.path("completedThisMonth").asText(), figure("tile-month"));
        long filed = 0;
        for (JsonNode day : stats.path("daily")) {
            filed += day.path("filed").asLong();
        }
        assertEquals(3, filed, "the three requests filed today through the API; the overdue one is 50 days old");
        assertTrue(text(By.id("daily")).contains("filed (" + filed + ")"), text(By.id("daily")));
        assertEquals("1", stats.path("answersBySystem").path("paper-archive").path("answered").asText());
        assertEquals("1", text(By.cssSelector("#backlog tr[data-system='paper-archive'] td:nth-child(7)")));
        assertEquals(overdue, stats.path("oldestBySystem").path("billing").path("requestId").asText(),
                "the request filed 50 days ago is billing's oldest open obligation");
        final WebElement oldest = visible(By.cssSelector("#backlog tr[data-system='billing'] .oldest a"));
        assertEquals("50 d", oldest.getText());
        assertTrue(oldest.getAttribute("href").endsWith("#/request/" + overdue), oldest.getAttribute("href"));
        assertEquals("1", figure("tile-overdue"));
        assertEquals("1", figure("tile-approval"));
        assertEquals(stats.path("pendingBySystem").path("paper-archive").asText(),
                text(By.cssSelector("#backlog tr[data-system='paper-archive'] .backlog")));
        screenshot("dashboard");
    }

    @Test
    @Order(3)
    void shouldApproveAPendingRequestAfterConfirmation() {
        open("#/request/" + pending);

        click(By.cssSelector("button[data-action='approve']"));
        visible(By.id("confirm")).findElement(By.name("note")).sendKeys("identity checked by phone");
        screenshot("approve");
        click(By.id("confirm-ok"));

        await().atMost(WAIT).until(() -> flashText().startsWith("Approve: done"));
        final JsonNode approved = admin.awaitStatus(pending, "IN_PROGRESS");
        assertEquals("billing", approved.path("systems").get(0).path("name").asText());
        open("#/request/" + pending);
        await().atMost(WAIT).until(() -> text(By.id("timeline")).contains("identity checked by phone"));
    }

    @Test
    @Order(4)
    void shouldCompleteAManualSystemWithEvidenceAndShowTheApisRefusalPlainly() {
        open("#/request/" + manual);
        click(By.cssSelector("tr[data-system='paper-archive'] button[data-action='complete']"));
        visible(By.id("confirm"));

        // Without evidence the API refuses, and its words are shown as they are
        click(By.id("confirm-ok"));
        await().atMost(WAIT).until(() -> visible(By.id("confirm-error")).getText().startsWith("Refused — 400"));
        assertTrue(text(By.id("confirm-error")).contains("(field: detail)"), text(By.id("confirm-error")));

        browser.findElement(By.cssSelector("#confirm [name='itemsErased']")).sendKeys("2");
        browser.findElement(By.cssSelector("#confirm [name='detail']"))
                .sendKeys("two archive boxes shredded on site, certificate #4471");
        screenshot("complete-manual-system");
        click(By.id("confirm-ok"));

        await().atMost(WAIT).until(() -> flashText().equals("paper-archive recorded as DONE."));
        final JsonNode completed = admin.awaitStatus(manual, "COMPLETED");
        assertEquals("two archive boxes shredded on site, certificate #4471",
                completed.path("systems").get(0).path("detail").asText());
    }

    @Test
    @Order(5)
    void shouldExtendAnOverdueRequestWithAReason() {
        open("#/requests?overdue=true");
        visible(By.cssSelector("tr[data-id='" + overdue + "']"));
        assertEquals(1, browser.findElements(By.cssSelector("#rows tr")).size(), "only the overdue request");
        screenshot("requests");
        click(By.cssSelector("tr[data-id='" + overdue + "']"));
        visible(By.cssSelector("#request-status .badge.bad"));
        final Instant deadline = Instant.parse(admin.get("/v1/erasures/" + overdue).json().path("deadline").asText());

        click(By.cssSelector("button[data-action='extend']"));
        visible(By.id("confirm")).findElement(By.name("reason")).sendKeys("complex request, subject informed");
        browser.findElement(By.cssSelector("#confirm [name='days']")).sendKeys("30");
        click(By.id("confirm-ok"));

        await().atMost(WAIT).until(() -> flashText().startsWith("Extend: done"));
        await().atMost(WAIT).untilAsserted(() -> {
            final JsonNode extended = admin.get("/v1/erasures/" + overdue).json();
            assertEquals(deadline.plus(Duration.ofDays(30)), Instant.parse(extended.path("deadline").asText()));
            assertFalse(extended.path("overdue").asBoolean());
        });
        open("#/request/" + overdue);
        await().atMost(WAIT).until(() -> text(By.id("timeline")).contains("complex request, subject informed"));
        assertTrue(browser.findElements(By.cssSelector("#request-status .badge.bad")).isEmpty(), "no longer overdue");
    }

    @Test
    @Order(6)
    void shouldRetryOneFailedSystemOfARequest() {
        failBilling(pending);
        open("#/request/" + pending);

        click(By.cssSelector("tr[data-system='billing'] button[data-action='retry-system']"));
        visible(By.id("confirm"));
        click(By.id("confirm-ok"));

        await().atMost(WAIT).until(() -> flashText().equals("billing will be asked again."));
        await().atMost(WAIT).untilAsserted(() -> assertFalse("FAILED".equals(admin.get("/v1/erasures/" + pending)
                .json().path("systems").get(0).path("status").asText())));
    }

    @Test
    @Order(7)
    void shouldRetryFailedSystemsInBulk() {
        failBilling(overdue);
        open("#/requests?systemStatus=FAILED");
        visible(By.cssSelector("tr[data-id='" + overdue + "']"));

        click(By.cssSelector("button[data-action='bulk-retry']"));
        new Select(visible(By.cssSelector("#confirm [name='system']"))).selectByValue("billing");
        browser.findElement(By.cssSelector("#confirm [name='note']")).sendKeys("billing API is back");
        click(By.id("confirm-ok"));

        await().atMost(WAIT).until(() -> flashText().equals("1 request(s) retried."));
        await().atMost(WAIT).untilAsserted(() -> assertFalse("FAILED".equals(admin.get("/v1/erasures/" + overdue)
                .json().path("systems").get(0).path("status").asText())));
    }

    /** billing's partner (here the admin) reports that it could not erase. */
    private static void failBilling(String id) {
        assertEquals(202, admin.post("/v1/erasures/" + id + "/systems/billing/callback",
                "{\"outcome\": \"FAILED\", \"detail\": \"billing API down\"}").status());
        await().atMost(WAIT).untilAsserted(() -> assertEquals("FAILED", admin.get("/v1/erasures/" + id).json()
                .path("systems").get(0).path("status").asText()));
    }

    @Test
    @Order(8)
    void shouldOpenAVerifiedCertificateAndPrintIt() {
        open("#/request/" + certified);
        assertTrue(text(By.id("chain")).startsWith("Hash chain intact"), text(By.id("chain")));
        screenshot("request");
        click(By.id("open-certificate"));

        visible(By.id("certificate"));
        assertTrue(text(By.id("certificate-chain")).startsWith("Verified"), text(By.id("certificate-chain")));
        assertTrue(text(By.id("certificate")).contains("paper file shredded, witnessed by J. Park"));
        assertFalse(browser.getPageSource().contains("u-console-certified"), "no raw identifier on the page");
        screenshot("certificate");
        browser.executeScript("window.printed = 0; window.print = () => { window.printed++; };");
        click(By.id("print"));
        assertEquals(1L, browser.executeScript("return window.printed"));
        final byte[] pdf = Base64.getDecoder().decode(browser.print(new PrintOptions()).getContent());
        assertEquals("%PDF", new String(pdf, 0, 4, java.nio.charset.StandardCharsets.US_ASCII));
        if (!SCREENSHOTS.isEmpty()) {
            write(Path.of(SCREENSHOTS, "certificate.pdf"), pdf);
        }
    }

    @Test
    @Order(9)
    void shouldFindASubjectsRequestsThroughItsPseudonymWithoutKeepingTheValue() {
        click(By.id("signout"));
        signIn(LetheEnv.ADMIN_TOKEN);
        open("#/requests");

        new Select(visible(By.cssSelector("#find-subject [name='namespace']"))).selectByValue("user_id");
        browser.findElement(By.cssSelector("#find-subject [name='value']")).sendKeys("u-console-certified");
        click(By.cssSelector("#find-subject button[type='submit']"));

        visible(By.cssSelector("#subject-result a.subject-request"));
        assertTrue(text(By.id("subject-result")).contains("was erased"), text(By.id("subject-result")));
        assertEquals("#/request/" + certified, browser.findElement(By.cssSelector("#subject-result a.subject-request"))
                .getDomAttribute("href"));
        assertEquals("", browser.findElement(By.cssSelector("#find-subject [name='value']")).getDomProperty("value"));
        assertFalse(browser.getPageSource().contains("u-console-certified"), "the typed value is not kept");
    }

    @Test
    @Order(10)
    void shouldEditASystemAsAdminWithTheRegistrysOwnValidationMessages() {
        open("#/systems");
        visible(By.id("add-system"));
        screenshot("systems");
        open("#/systems/paper-archive");
        final WebElement sla = visible(By.cssSelector("#system-form [name='slaDays']"));

        sla.clear();
        sla.sendKeys("0");
        click(By.id("save-system"));
        await().atMost(WAIT).until(() -> visible(By.id("system-error")).getText().startsWith("Refused — 400"));
        assertTrue(text(By.id("system-error")).contains("(field: slaDays)"), text(By.id("system-error")));
        assertEquals(14, admin.get("/v1/systems/paper-archive").json().path("slaDays").asInt());

        sla.clear();
        sla.sendKeys("21");
        screenshot("edit-system");
        click(By.id("save-system"));
        await().atMost(WAIT).until(() -> flashText().equals("System paper-archive saved."));
        await().atMost(WAIT).untilAsserted(() ->
                assertEquals(21, admin.get("/v1/systems/paper-archive").json().path("slaDays").asInt()));
    }

    // ------------------------------------------------------------ browser helpers

    private static void signIn(String token) {
        browser.get(base + "#/signin");
        visible(By.id("token")).sendKeys(token);
        click(By.cssSelector("#login button[type='submit']"));
        visible(By.id("tile-open"));
    }

    /** Opens a view of the console and waits until it is drawn (its heading shown). */
    private static void open(String hash) {
        browser.get(base + hash);
        browser.navigate().refresh();
        visible(By.cssSelector("main h1"));
    }

    private static WebElement visible(By by) {
        return new WebDriverWait(browser, WAIT).until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    private static void click(By by) {
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.elementToBeClickable(by)).click();
    }

    private static String text(By by) {
        return visible(by).getText();
    }

    private static String figure(String tile) {
        return visible(By.cssSelector("#" + tile + " .figure")).getText();
    }

    private static String flashText() {
        final List<WebElement> flash = browser.findElements(By.cssSelector("#flash:not([hidden])"));
        return flash.isEmpty() ? "" : flash.get(0).getText();
    }

    /** Saves a screenshot as {@code <name>.png} when {@code -Dlethe.console.screenshots} names a folder. */
    private static void screenshot(String name) {
        if (!SCREENSHOTS.isEmpty()) {
            final Path png = browser.getScreenshotAs(OutputType.FILE).toPath();
            try {
                Files.createDirectories(Path.of(SCREENSHOTS));
                Files.copy(png, Path.of(SCREENSHOTS, name + ".png"), StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static void write(Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
