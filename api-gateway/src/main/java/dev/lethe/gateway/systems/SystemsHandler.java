package dev.lethe.gateway.systems;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.avro.SystemMode;
import dev.lethe.avro.SystemRegistration;
import dev.lethe.gateway.auth.Role;
import dev.lethe.gateway.erasure.Vocabulary;
import dev.lethe.gateway.events.EventWriter;
import dev.lethe.gateway.http.ApiException;
import dev.lethe.gateway.http.JsonBody;
import dev.lethe.gateway.http.RoleHandler;
import dev.lethe.gateway.ledger.LedgerClient;
import dev.lethe.gateway.ledger.LedgerJson;
import dev.lethe.schemas.systems.InvalidRegistrationException;
import dev.lethe.schemas.systems.SystemsJson;
import dev.lethe.schemas.systems.SystemsValidator;
import io.javalin.http.Context;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The system registry: list and read (any role), register and retire (admin). A registration
 * is checked by the shared {@link SystemsValidator} (400 naming the field) and, for a SQL system,
 * by a ledger instance against the database's own metadata (400 naming the field when a table or
 * column does not exist), written to
 * {@code erasure.systems} (a retirement is a tombstone; the ledger keeps a retired system's open
 * obligations), and then the ledger is polled, at most the confirmation wait, until it reflects
 * the write: 200 when it does, 202 when the write is durable but not yet visible.
 */
public final class SystemsHandler {

    private static final Logger LOG = LoggerFactory.getLogger(SystemsHandler.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private final EventWriter events;
    private final LedgerClient ledger;
    private final SystemsValidator validator;
    private final Duration confirmWait;

    /** The answer to a retirement. */
    public record Retired(String name, boolean retired) {
    }

    public SystemsHandler(EventWriter events, LedgerClient ledger, Vocabulary vocabulary, Duration confirmWait) {
        this.events = events;
        this.ledger = ledger;
        this.validator = new SystemsValidator(vocabulary.namespaces(), vocabulary.jurisdictions());
        this.confirmWait = confirmWait;
    }

    /** {@code GET /v1/systems}. */
    public RoleHandler list() {
        return (ctx, role) -> ctx.json(ledger.systems());
    }

    /** {@code GET /v1/systems/{name}}. */
    public RoleHandler read() {
        return (ctx, role) -> ctx.json(LedgerJson.parse(ledger.system(name(ctx))));
    }

    /** {@code PUT /v1/systems/{name}}. */
    public RoleHandler register() {
        return this::register;
    }

    /** {@code GET /v1/systems/{name}/preview?namespace=&value=}: a SQL system's rows per table for one identifier. */
    public RoleHandler preview() {
        return (ctx, role) -> {
            final String name = name(ctx);
            final String namespace = ctx.queryParam("namespace");
            final String value = ctx.queryParam("value");
            if (namespace == null || namespace.isBlank()) {
                throw ApiException.badRequest("missing_field", "namespace is required", "namespace");
            }
            if (value == null || value.isBlank()) {
                throw ApiException.badRequest("missing_field", "value is required", "value");
            }
            ctx.contentType("application/json").result(ledger.previewSql(name, namespace, value));
        };
    }

    /** {@code DELETE /v1/systems/{name}}. */
    public RoleHandler retire() {
        return this::retire;
    }

    private void register(Context ctx, Role role) {
        final String name = name(ctx);
        final SystemRegistration registration;
        try {
            registration = validator.validate(name, JsonBody.readTree(ctx));
        } catch (InvalidRegistrationException e) {
            throw ApiException.badRequest(e.code(), e.getMessage(), e.field());
        }
        final JsonNode expected = SystemsJson.toJson(registration);
        if (registration.getMode() == SystemMode.SQL) {
            ledger.checkSql(expected.toString());
        }
        events.write(registration);
        final boolean confirmed = awaitLedger(name, expected);
        LOG.info("system {} registered by {} (confirmed by the ledger: {})", name, role.name(), confirmed);
        ctx.status(confirmed ? 200 : 202).json(expected);
    }

    private void retire(Context ctx, Role role) {
        final String name = name(ctx);
        ledger.system(name);
        events.retire(name);
        final boolean confirmed = awaitLedger(name, null);
        LOG.info("system {} retired by {} (confirmed by the ledger: {})", name, role.name(), confirmed);
        ctx.status(confirmed ? 200 : 202).json(new Retired(name, true));
    }

    /** Polls until the ledger shows {@code expected} for {@code name} (null: no such system), at most the wait. */
    private boolean awaitLedger(String name, JsonNode expected) {
        final long deadline = System.nanoTime() + confirmWait.toNanos();
        while (true) {
            if (reflects(name, expected)) {
                return true;
            }
            if (System.nanoTime() >= deadline) {
                return false;
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    private boolean reflects(String name, JsonNode expected) {
        try {
            final JsonNode current = LedgerJson.parse(ledger.system(name));
            return expected != null && expected.equals(current);
        } catch (ApiException e) {
            return expected == null && e.status() == 404;
        }
    }

    private static String name(Context ctx) {
        final String name = ctx.pathParam("name");
        if (!SystemsValidator.NAME.matcher(name).matches()) {
            throw ApiException.badRequest("invalid_value", "the system name must be 1-63 lower-case letters, digits, "
                    + "'_', '.' or '-', starting with a letter or digit", "name");
        }
        return name;
    }
}
