package dev.lethe.gateway;

import static dev.lethe.gateway.Fixture.APPROVER;
import static dev.lethe.gateway.Fixture.REQUEST_ID;
import static dev.lethe.gateway.Fixture.get;
import static dev.lethe.gateway.Fixture.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.lethe.gateway.erasure.Confirmation;
import dev.lethe.gateway.http.ApiException;
import io.javalin.testtools.JavalinTest;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A log line written while handling a route of one erasure request carries its id in the MDC ({@code requestId}). */
class RequestIdLoggingTest {

    private final Fixture fixture = new Fixture();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    @BeforeEach
    void capture() {
        appender.start();
        root.addAppender(appender);
    }

    @AfterEach
    void release() {
        root.detachAppender(appender);
        appender.stop();
    }

    @Test
    void shouldNeverPutAPathThatIsNotARequestIdInTheMdc() {
        assertEquals(REQUEST_ID, GatewayApp.loggableRequestId(REQUEST_ID));
        // a mistaken caller may put an identifier where the id goes: it is answered 404 and never logged
        assertNull(GatewayApp.loggableRequestId("jane.doe@example.com"));
        assertNull(GatewayApp.loggableRequestId(null));
    }

    @Test
    void shouldPutTheRequestIdInTheMdcOfWhatItsRouteLogs() {
        fixture.ledger.requests.put(REQUEST_ID,
                FakeLedgerClient.requestInState(REQUEST_ID, "PENDING_APPROVAL", "PENDING", "billing", "crm"));
        fixture.ledger.waitFailure = ApiException.unavailable("not caught up", 1);
        JavalinTest.test(fixture.app(), (server, client) -> {
            assertEquals(202, post(client, "/v1/erasures/" + REQUEST_ID + "/approve", APPROVER, "{}").code());
            get(client, "/health", null);
        });

        final List<ILoggingEvent> confirmations = appender.list.stream()
                .filter(event -> event.getLoggerName().equals(Confirmation.class.getName())).toList();
        assertFalse(confirmations.isEmpty(), "the unconfirmed decision is logged");
        confirmations.forEach(event ->
                assertEquals(REQUEST_ID, event.getMDCPropertyMap().get(GatewayApp.REQUEST_ID), event.getFormattedMessage()));
        appender.list.stream().filter(event -> !event.getLoggerName().equals(Confirmation.class.getName()))
                .filter(event -> event.getThreadName().equals(confirmations.get(0).getThreadName()))
                .forEach(event -> assertFalse(event.getMDCPropertyMap().containsKey(GatewayApp.REQUEST_ID),
                        "left in the MDC after its route: " + event.getFormattedMessage()));
    }
}
