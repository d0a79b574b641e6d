package dev.lethe.ledger;

import dev.lethe.avro.SystemRegistration;
import dev.lethe.ledger.archive.ArchiveFollower;
import dev.lethe.ledger.archive.ArchiveView;
import dev.lethe.ledger.domain.LedgerPolicy;
import dev.lethe.ledger.executor.ExecutorGroup;
import dev.lethe.ledger.executor.sql.SqlAdmin;
import dev.lethe.ledger.executor.sql.SqlCredentials;
import dev.lethe.ledger.kafka.RequestsTrimmer;
import dev.lethe.ledger.executor.StoreSystemLookup;
import dev.lethe.ledger.notify.Notifiers;
import dev.lethe.ledger.query.InProcessReads;
import dev.lethe.ledger.query.KafkaAppliedCheck;
import dev.lethe.ledger.query.LedgerQueries;
import dev.lethe.ledger.query.QueryServer;
import dev.lethe.schemas.systems.SystemsJson;
import dev.lethe.ledger.topology.AppliedOffsets;
import dev.lethe.ledger.topology.LedgerTopology;
import dev.lethe.schemas.LetheSerdes;
import dev.lethe.schemas.TopicContracts;
import dev.lethe.schemas.TopicProvisioner;
import dev.lethe.schemas.Topics;
import dev.lethe.schemas.registry.RestSchemaRegistryClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running streams-app instance: provisions the topics and refuses data laid out by a version that
 * keyed topics as Avro ({@link KeyLayoutCheck}) while it registers the topics' schemas and compatibility
 * ({@link TopicContracts}; a registry that refuses stops the start), publishes the systems file (if any),
 * tells its caller that writes may be taken ({@link StartListener#writable()}), starts the archive follower
 * and waits until it has caught up ({@link ArchiveFollower}: this instance's copy of the ledger's archive, which
 * the ledger reads released requests back from), empties the task folders a crash left
 * ({@link CrashedTaskStores}), starts the ledger topology, waits until it is RUNNING, then serves
 * interactive queries (its query port is open from the first step on and answers 503 with Retry-After until
 * then), starts the executors enabled in its configuration and, when {@code LETHE_NOTIFY_URL} is set, calls
 * the notification webhook. It logs the time of each phase at the end ("ledger started in ..."). {@link #close()} stops the executors, the notifier, the query server,
 * the streams client and the archive follower, in that order.
 */
public final class LedgerApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LedgerApp.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    /**
     * Leave the consumer group on a deliberate stop, so that the next start (or another instance)
     * gets the tasks at once instead of after the session timeout.
     */
    private static final CloseOptions LEAVE_GROUP = CloseOptions
            .groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
            .withTimeout(CLOSE_TIMEOUT);

    private static final CloseOptions REMAIN_IN_GROUP = CloseOptions
            .groupMembershipOperation(CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP)
            .withTimeout(CLOSE_TIMEOUT);

    private final KafkaStreams streams;
    private final ArchiveFollower archive;
    private final QueryServer server;
    private final KafkaAppliedCheck applied;
    private final Notifiers notifier;
    private final ExecutorGroup executors;
    private final InProcessReads reads;
    private final RequestsTrimmer trimmer;
    private final Path stateDir;
    private final String applicationId;

    private LedgerApp(KafkaStreams streams, ArchiveFollower archive, QueryServer server, KafkaAppliedCheck applied,
                      Notifiers notifier, ExecutorGroup executors, InProcessReads reads, RequestsTrimmer trimmer,
                      LedgerConfig config) {
        this.archive = archive;
        this.trimmer = trimmer;
        this.stateDir = config.stateDir();
        this.applicationId = config.applicationId();
        this.streams = streams;
        this.reads = reads;
        this.server = server;
        this.applied = applied;
        this.notifier = notifier;
        this.executors = executors;
    }

    /**
     * What the caller of {@link #start(LedgerConfig, StartListener)} is told while the instance
     * starts. Each method is called at most once, in this order, on the starting thread, except
     * {@link #failed()}, which may come later from Kafka Streams' own thread.
     */
    public interface StartListener {

        /**
         * The topics exist and carry Lethe's schema contracts and the systems file is published:
         * what is written to the input topics from now on is taken in order, though the instance
         * does not serve queries yet (they answer 503 with Retry-After).
         */
        default void writable() {
        }

        /** The instance answers queries ({@code reads}); its executors and notifier start once this returns. */
        default void serving(InProcessReads reads) {
        }

        /**
         * The ledger's stream processing stopped for good (Kafka Streams in ERROR): the instance
         * then answers every query 503 and processes nothing, so its owner should restart it.
         */
        default void failed() {
        }
    }

    /**
     * Starts an instance and returns once it is RUNNING and answering queries. The query port
     * opens first and answers 503 with Retry-After until then, so that a caller never finds it
     * refusing connections while the instance starts.
     */
    public static LedgerApp start(LedgerConfig config) {
        return start(config, new StartListener() { });
    }

    /**
     * As {@link #start(LedgerConfig)}; {@code onFailed} runs once if the ledger's stream processing
     * later stops for good (Kafka Streams in ERROR): the instance then answers every query 503 and
     * processes nothing, so its owner should restart it ({@link LedgerMain} exits).
     */
    public static LedgerApp start(LedgerConfig config, Runnable onFailed) {
        return start(config, new StartListener() {
            @Override
            public void failed() {
                onFailed.run();
            }
        });
    }

    /** As {@link #start(LedgerConfig)}, telling {@code listener} how far the start has come. */
    public static LedgerApp start(LedgerConfig config, StartListener listener) {
        final StartPhases phases = StartPhases.begin();
        final QueryServer server = QueryServer.starting(Clock.systemUTC(), config.internalToken())
                .start(config.queryBindAddress(), config.queryPort());
        try {
            return start(config, server, listener, phases);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private static LedgerApp start(LedgerConfig config, QueryServer server, StartListener listener,
                                   StartPhases phases) {
        final RestSchemaRegistryClient registry = new RestSchemaRegistryClient(config.schemaRegistryUrl());
        final LetheSerdes serdes = new LetheSerdes(registry);
        ensureTopicsAndContracts(config, registry);
        phases.mark("topics and contracts");
        config.systemsFile().ifPresent(file -> publishSystems(config, serdes, SystemsJson.readFile(file)));
        phases.mark("systems");
        listener.writable();
        final LedgerPolicy policy = config.policy();
        final AppliedOffsets appliedOffsets = new AppliedOffsets();
        // issue 19: the archive follower runs (its copy restored) before the ledger may release anything to it
        final ArchiveFollower archive = ArchiveFollower.start(config.archiveFollower(), config.startTimeout(),
                listener::failed);
        server.probes().watchArchive(archive::state);
        phases.mark("archive follower");
        GlobalStoreReset.reset(config.stateDir(), config.applicationId());
        CrashedTaskStores.empty(config.stateDir(), config.applicationId());
        final KafkaStreams streams;
        try {
            streams = new KafkaStreams(
                    LedgerTopology.buildTopology(serdes, config.subjectKeys(), policy, appliedOffsets,
                            config.topicSettings().partitions(), config.privacy(), config.archiving(archive)),
                    config.streamsProperties());
        } catch (RuntimeException e) {
            archive.close();
            throw e;
        }
        server.probes().watch(streams);
        streams.setUncaughtExceptionHandler(new StreamThreadFailures(Clock.systemUTC()));
        final StreamsStateWatch watch = new StreamsStateWatch(listener::failed);
        streams.setStateListener(watch);
        final KafkaAppliedCheck applied = new KafkaAppliedCheck(config.bootstrapServers(), config.applicationId());
        final ExecutorGroup executors;
        final InProcessReads reads;
        try {
            streams.start();
            phases.mark("streams started");
            watch.awaitRunning(streams, config.startTimeout());
            phases.mark("streams running");
            final HostInfo self = new HostInfo(config.advertisedHost(), config.queryPort());
            final LedgerQueries queries = new LedgerQueries(streams, serdes, self,
                    config.topicSettings().partitions(), applied, appliedOffsets, config.subjectKeys(),
                    archive);
            server.serve(queries);
            config.executors().sqlSecretsDir().ifPresent(dir -> server.sqlAdmin(new SqlAdmin(new SqlCredentials(dir))));
            reads = new InProcessReads(queries, Clock.systemUTC());
            listener.serving(reads);
            executors = ExecutorGroup.start(config.executors(), config.bootstrapServers(), config.applicationId(),
                    self.host() + "-" + self.port(), new StoreSystemLookup(streams, serdes), serdes,
                    config.pseudonymSecret().bytes(), config.kek());
            phases.mark("executors");
        } catch (RuntimeException e) {
            streams.close(LEAVE_GROUP);
            archive.close();
            applied.close();
            throw e;
        }
        final Notifiers notifier = Notifiers.start(config.bootstrapServers(), config.applicationId(), serdes,
                config.notifier(), config.portalCallbacks());
        LOG.info("ledger {} running; queries on port {}", config.applicationId(), config.queryPort());
        // issue 12, point 3: what was written on erasure.requests lives until the ledger committed past it
        final RequestsTrimmer trimmer = config.requestsTrimInterval().isZero() ? null
                : RequestsTrimmer.create(config.bootstrapServers(), config.applicationId())
                        .start(config.requestsTrimInterval());
        LOG.info("ledger started in {}", phases.summary());
        return new LedgerApp(streams, archive, server, applied, notifier, executors, reads, trimmer, config);
    }

    /**
     * The topics and the key-layout check on one thread, the schema contracts on another: the two
     * are independent (the contracts are on the registry, the topics on the broker), and both must
     * be in place before anything is written.
     */
    private static void ensureTopicsAndContracts(LedgerConfig config, RestSchemaRegistryClient registry) {
        final ExecutorService contractsThread = Executors.newSingleThreadExecutor(task -> {
            final Thread thread = new Thread(task, "lethe-start-contracts");
            thread.setDaemon(true);
            return thread;
        });
        try {
            final long begun = System.nanoTime();
            final Future<Long> contracts = contractsThread.submit(() -> {
                registerContracts(registry);
                return System.nanoTime();
            });
            provisionTopics(config);
            final long provisioned = System.nanoTime();
            KeyLayoutCheck.verify(config.bootstrapServers(), config.startTimeout());
            final long checked = System.nanoTime();
            final long registered = contracts.get();
            LOG.info("topics {} ms, then key layout {} ms; beside them, schema contracts {} ms",
                    (provisioned - begun) / 1_000_000, (checked - provisioned) / 1_000_000,
                    (registered - begun) / 1_000_000);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException("registering Lethe's schemas failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while registering Lethe's schemas", e);
        } finally {
            contractsThread.shutdownNow();
        }
    }

    private static void provisionTopics(LedgerConfig config) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers()))) {
            new TopicProvisioner(admin, config.startTimeout()).ensure(Topics.all(config.topicSettings()));
        }
    }

    /** Lethe's schemas and compatibility on every subject of its topics, before anything is written. */
    private static void registerContracts(RestSchemaRegistryClient registry) {
        final List<String> subjects = TopicContracts.register(registry);
        LOG.info("registered the schemas of {} subjects at compatibility {} or stricter", subjects.size(),
                TopicContracts.COMPATIBILITY);
    }

    private static void publishSystems(LedgerConfig config, LetheSerdes serdes, List<SystemRegistration> systems) {
        final Map<String, Object> props = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (KafkaProducer<String, SystemRegistration> producer =
                     new KafkaProducer<>(props, serdes.key().serializer(), serdes.system().serializer())) {
            for (SystemRegistration system : systems) {
                producer.send(new ProducerRecord<>(Topics.SYSTEMS, system.getName(), system)).get(30, TimeUnit.SECONDS);
            }
            LOG.info("registered {} systems from the systems file", systems.size());
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot publish the systems file: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing the systems file", e);
        }
    }

    public KafkaStreams streams() {
        return streams;
    }

    /**
     * This instance's copy of the ledger's archive (the archive follower), which the ledger
     * processor and the queries read finished requests released from the task stores through.
     */
    public ArchiveView archive() {
        return archive;
    }

    /** The reads a gateway in this same process may make without HTTP ({@link InProcessReads}). */
    public InProcessReads reads() {
        return reads;
    }

    public int queryPort() {
        return server.port();
    }

    @Override
    public void close() {
        if (trimmer != null) {
            trimmer.close();
        }
        executors.close();
        if (notifier != null) {
            notifier.close();
        }
        server.close();
        if (streams.close(LEAVE_GROUP)) {
            CrashedTaskStores.markCleanStop(stateDir, applicationId);
        }
        archive.close();
        applied.close();
    }

    /**
     * Stops the way a crash looks to the other instances: the query port closes and the streams
     * client stops without leaving its group, so the others still see this instance as the owner
     * of its tasks until its session times out ({@code LETHE_SESSION_TIMEOUT_MS}). For failover
     * drills and tests; {@link #close()} is the deliberate stop. Call one of the two, once.
     */
    public void halt() {
        if (trimmer != null) {
            trimmer.close();
        }
        executors.close();
        if (notifier != null) {
            notifier.close();
        }
        server.close();
        streams.close(REMAIN_IN_GROUP);
        archive.close();
        applied.close();
    }
}
