package dev.lethe.gateway;

import static dev.lethe.gateway.Fixture.BILLING;
import static dev.lethe.gateway.Fixture.REQUEST_ID;
import static dev.lethe.gateway.Fixture.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.lethe.avro.SystemCallback;
import dev.lethe.schemas.LetheSerdes;
import dev.lethe.schemas.Topics;
import dev.lethe.schemas.crypto.Aead;
import dev.lethe.schemas.crypto.Sealing;
import dev.lethe.schemas.registry.InMemorySchemaRegistryClient;
import io.javalin.testtools.JavalinTest;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A partner's callback text (which may quote the subject's identifiers) goes onto
 * {@code erasure.callbacks} sealed under the request's data key, so it is shredded with it (issue 12).
 */
class SealedCallbackTest {

    private static final String BILLING_PATH = "/v1/erasures/" + REQUEST_ID + "/systems/billing/callback";
    private static final String EMAIL = "kim.sealed@example.com";
    private static final String BASIS = "tax law keeps the invoices of " + EMAIL;
    private static final String DONE = "{\"outcome\": \"DONE\", \"itemsErased\": 3, \"detail\": \"deleted the rows of "
            + EMAIL + "\", \"legalBasis\": \"" + BASIS + "\"}";

    private final Fixture fixture = new Fixture();
    private final byte[] dataKey = Aead.newKey();

    @BeforeEach
    void requestTargetsBilling() {
        fixture.ledger.requests.put(REQUEST_ID, FakeLedgerClient.requestJson(REQUEST_ID, "billing", "crm"));
    }

    @Test
    void shouldWriteTheCallbacksTextSealedUnderTheRequestsDataKey() {
        fixture.keys = id -> REQUEST_ID.equals(id) ? Optional.of(dataKey) : Optional.empty();
        JavalinTest.test(fixture.app(), (server, client) -> {
            assertEquals(202, post(client, BILLING_PATH, BILLING, DONE).code());

            final SystemCallback written = fixture.events.callbacks.get(0);
            assertNull(written.getDetail());
            assertNull(written.getLegalBasis());
            assertNotNull(written.getSealed());
            assertEquals(3L, written.getItemsErased());
            final byte[] bytes = new LetheSerdes(new InMemorySchemaRegistryClient()).callback()
                    .serialize(Topics.CALLBACKS, written);
            assertFalse(new String(bytes, StandardCharsets.ISO_8859_1).contains("kim.sealed"),
                    "the record's bytes hold the raw value");
            final SystemCallback opened = Sealing.openCallback(written, dataKey);
            assertEquals("deleted the rows of " + EMAIL, opened.getDetail());
            assertEquals(BASIS, opened.getLegalBasis());
            assertNull(opened.getSealed());
        });
    }

    @Test
    void shouldWriteTheTextInTheClearWhenTheRequestHasNoDataKey() {
        fixture.keys = id -> Optional.empty();
        JavalinTest.test(fixture.app(), (server, client) -> {
            assertEquals(202, post(client, BILLING_PATH, BILLING, DONE).code());

            final SystemCallback written = fixture.events.callbacks.get(0);
            assertEquals("deleted the rows of " + EMAIL, written.getDetail());
            assertNull(written.getSealed());
        });
    }

    @Test
    void shouldWriteTheTextInTheClearWhenTheGatewayHasNoKeyEncryptionKey() {
        JavalinTest.test(fixture.app(), (server, client) -> {
            assertEquals(202, post(client, BILLING_PATH, BILLING, DONE).code());

            final SystemCallback written = fixture.events.callbacks.get(0);
            assertEquals(BASIS, written.getLegalBasis());
            assertNull(written.getSealed());
        });
    }
}
