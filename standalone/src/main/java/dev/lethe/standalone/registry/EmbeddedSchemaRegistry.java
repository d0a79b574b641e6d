package dev.lethe.standalone.registry;

import io.javalin.Javalin;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Confluent-compatible schema registry inside the standalone JVM, so that Lethe's serdes and
 * any Confluent client work without a separate registry. Its state is the compacted Kafka topic
 * {@code _schemas}: on start it replays the whole topic, then serves; a registration is written
 * to the topic and acknowledged before the id is answered, so ids survive restarts. Ids are
 * global (one id per distinct schema, whatever the subject) and a new version must be compatible
 * at the subject's own level ({@code PUT /config/{subject}}, kept in the same topic), BACKWARD
 * with the latest one by default, as with Confluent's defaults. Avro only.
 *
 * <p>Contract: {@link #start()} once, {@link #close()} once. Listens on 127.0.0.1.
 */
public final class EmbeddedSchemaRegistry implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedSchemaRegistry.class);
    private static final String HOST = "127.0.0.1";
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(30);

    private final String bootstrapServers;
    private final int requestedPort;
    private SchemaLog log;
    private Javalin app;

    /**
     * @param bootstrapServers the Kafka cluster holding the {@code _schemas} topic
     * @param port             the HTTP port, 0 for a free one (see {@link #port()} after start)
     */
    public EmbeddedSchemaRegistry(String bootstrapServers, int port) {
        this.bootstrapServers = bootstrapServers;
        this.requestedPort = port;
    }

    /** Creates the topic if needed, rebuilds the state from it, then serves HTTP. */
    public synchronized EmbeddedSchemaRegistry start() {
        if (app != null) {
            throw new IllegalStateException("the embedded schema registry is already started");
        }
        final SchemaLog schemaLog = new SchemaLog(bootstrapServers, KAFKA_TIMEOUT);
        final List<LogRecord> records;
        try {
            schemaLog.provision();
            final SchemaStore store = new SchemaStore();
            records = schemaLog.readAll();
            records.forEach(store::apply);
            final RegistryRoutes routes = new RegistryRoutes(new SchemaService(store, schemaLog));
            app = Javalin.create(config -> {
                config.startup.showJavalinBanner = false;
                config.jetty.host = HOST;
                config.jetty.port = requestedPort;
                routes.configure(config);
            }).start();
        } catch (RuntimeException e) {
            schemaLog.close();
            throw e;
        }
        log = schemaLog;
        LOG.info("schema registry serving on {} (replayed {} records of {})", url(), records.size(), SchemaLog.TOPIC);
        return this;
    }

    /** {@code http://127.0.0.1:<port>}; the port is known once started. */
    public String url() {
        return "http://" + HOST + ":" + port();
    }

    public synchronized int port() {
        if (app == null) {
            throw new IllegalStateException("the embedded schema registry is not started");
        }
        return app.port();
    }

    /** Stops serving and closes the Kafka producer; does nothing if it is not running. */
    @Override
    public synchronized void close() {
        if (app == null) {
            return;
        }
        app.stop();
        log.close();
        app = null;
        log = null;
    }
}
