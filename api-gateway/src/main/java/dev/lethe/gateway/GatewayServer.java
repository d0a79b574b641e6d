package dev.lethe.gateway;

import dev.lethe.gateway.auth.Authenticator;
import dev.lethe.gateway.events.KafkaEventWriter;
import dev.lethe.gateway.http.StartupGate;
import dev.lethe.gateway.ledger.HttpLedgerClient;
import dev.lethe.gateway.ledger.InProcessLedgerClient;
import dev.lethe.gateway.ledger.LedgerClient;
import dev.lethe.gateway.ledger.LocalLedger;
import dev.lethe.gateway.ops.KafkaBrokerCheck;
import dev.lethe.schemas.LetheSerdes;
import dev.lethe.gateway.erasure.KeyLookup;
import dev.lethe.schemas.crypto.KekConfig;
import dev.lethe.schemas.crypto.KeyRing;
import dev.lethe.schemas.crypto.Sealing;
import dev.lethe.schemas.registry.RestSchemaRegistryClient;
import io.javalin.Javalin;
import java.time.Clock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway as a service: a Kafka event writer, a ledger client and the Javalin app, built
 * from a {@link GatewayConfig}. {@link #start()} listens on the configured port and serves;
 * {@link #listen()} opens the port first and answers every call 503 with Retry-After until
 * {@link #ready()}, so that a process starting other components behind it never refuses
 * connections;
 * {@link #close()} stops the HTTP server, then the broker check and the producer. Used by {@link GatewayMain} and by
 * the standalone run.
 */
public final class GatewayServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayServer.class);

    private final KafkaEventWriter events;
    private final KafkaBrokerCheck broker;
    private final StartupGate gate = StartupGate.closed();
    private final Javalin app;
    private final KeyRing keyRing;
    /** How long opening identifiers waits for erasure.keys to be read up to its end. */
    private static final java.time.Duration KEY_WAIT = java.time.Duration.ofSeconds(5);

    /** With the tokens named by {@code config} ({@code LETHE_ADMIN_TOKEN}, {@code LETHE_TOKENS_FILE}). */
    public GatewayServer(GatewayConfig config) {
        this(config, config.authenticator());
    }

    /**
     * With a ledger instance in this same process ({@code local}, null until it runs), which answers
     * the request and subject reads without HTTP ({@link InProcessLedgerClient}); the embedded default.
     */
    public GatewayServer(GatewayConfig config, Supplier<LocalLedger> local) {
        this(config, config.authenticator(), local);
    }

    /**
     * With an authenticator built by the caller (its tokens replace those named by {@code config}).
     *
     * @throws IllegalStateException when the Kafka bootstrap servers or the schema registry URL is not set
     */
    public GatewayServer(GatewayConfig config, Authenticator authenticator) {
        this(config, authenticator, null);
    }

    private GatewayServer(GatewayConfig config, Authenticator authenticator, Supplier<LocalLedger> local) {
        final String bootstrap = required(config.bootstrapServers(), GatewayConfig.BOOTSTRAP_SERVERS);
        final String registry = required(config.schemaRegistryUrl(), GatewayConfig.SCHEMA_REGISTRY_URL);
        if (authenticator.size() == 0) {
            LOG.warn("no token is configured ({} / {}): every call but /health will be refused",
                    GatewayConfig.ADMIN_TOKEN, GatewayConfig.TOKENS_FILE);
        }
        if (config.kek().isEmpty()) {
            LOG.warn("no key-encryption key is configured ({} / {}): requests are written to {} in the clear, and"
                    + " sealed only by the ledger (docs/privacy.md)", KekConfig.FILE_VARIABLE, KekConfig.INLINE_VARIABLE,
                    dev.lethe.schemas.Topics.REQUESTS);
        }
        this.events = KafkaEventWriter.create(bootstrap, new LetheSerdes(new RestSchemaRegistryClient(registry)),
                config.kek().map(Sealing::new));
        this.broker = new KafkaBrokerCheck(bootstrap, Clock.systemUTC());
        KeyRing ring = null;
        try {
            // opens sealed identifiers for partners (issue 12): the data keys of erasure.keys
            ring = config.kek().isEmpty() ? null : KeyRing.start(bootstrap,
                    new LetheSerdes(new RestSchemaRegistryClient(registry)), config.kek().get());
            final KeyRing keys = ring;
            final KeyLookup lookup = keys == null ? KeyLookup.none() : id -> keys.find(id, KEY_WAIT);
            final LedgerClient http = new HttpLedgerClient(config.ledgerUrl(), config.internalToken());
            final GatewayApp.Collaborators collaborators = new GatewayApp.Collaborators(events,
                    local == null ? http : new InProcessLedgerClient(http, local), authenticator, Clock.systemUTC(),
                    config.vocabulary(), config.intakeConfirm(), broker, config.opendsr().ready(), lookup);
            this.app = GatewayApp.create(collaborators, config.httpPort(), gate);
            this.keyRing = ring;
        } catch (RuntimeException e) {
            if (ring != null) {
                ring.close();
            }
            broker.close();
            events.close();
            throw e;
        }
    }

    /** Starts listening and serving; returns this. */
    public GatewayServer start() {
        return listen().ready();
    }

    /** Opens the port, answering every call 503 with Retry-After until {@link #ready()}; returns this. */
    public GatewayServer listen() {
        app.start();
        LOG.info("api-gateway listening on port {}", app.port());
        return this;
    }

    /** Serves every route from now on; returns this. */
    public GatewayServer ready() {
        gate.open();
        return this;
    }

    /** The port it listens on (the real one when configured with 0). */
    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        try {
            app.stop();
        } finally {
            try {
                broker.close();
            } finally {
                events.close();
                if (keyRing != null) {
                    keyRing.close();
                }
            }
        }
    }

    private static String required(String value, String variable) {
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(variable + " is not set");
        }
        return value;
    }
}
