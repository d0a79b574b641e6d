package dev.lethe.schemas;

import dev.lethe.avro.Admission;
import dev.lethe.avro.AuditFact;
import dev.lethe.avro.DeadLetter;
import dev.lethe.avro.Decision;
import dev.lethe.avro.ErasureEvent;
import dev.lethe.avro.ErasureRecord;
import dev.lethe.avro.ErasureRequested;
import dev.lethe.avro.Notification;
import dev.lethe.avro.SubjectEntry;
import dev.lethe.avro.SystemCallback;
import dev.lethe.avro.SystemRegistration;
import dev.lethe.schemas.registry.Compatibility;
import dev.lethe.schemas.registry.SchemaRegistryClient;
import dev.lethe.schemas.registry.SchemaRegistryException;
import dev.lethe.schemas.serde.ConfluentAvroSerde;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.avro.Schema;

/**
 * Lethe owns the contract of its topics in the schema registry: at start, before anything is
 * written, every topic's value schema is registered under {@code <topic>-value} and the Avro
 * {@code "string"} under {@code <topic>-key} (for producers whose key serializer is Avro), each
 * subject at compatibility {@link #COMPATIBILITY}, so that a producer in any language that uses
 * the registered schema (no auto-registration) finds them on a fresh start.
 *
 * <p>{@link #register} is idempotent: the same schema gets its existing id and no new version,
 * and a subject whose own level already checks more keeps it (joined with ours). A registry that
 * refuses (an incompatible change, or no registry) stops the caller with a line naming the
 * subject.
 *
 * <p>The subjects are independent, so they are ensured {@link #PARALLEL} at a time: each one is
 * two or three round trips to the registry, and done one after another they were about two
 * seconds of every start of the embedded default (docs/reliability.md, recovery after a crash).
 */
public final class TopicContracts {

    /**
     * BACKWARD_TRANSITIVE: a new schema must read data written with every registered version,
     * not only the latest, because Lethe's topics keep data for months (the audit trail ten years,
     * the dataset for ever) and the ledger rebuilds its state from them.
     */
    public static final Compatibility COMPATIBILITY = Compatibility.BACKWARD_TRANSITIVE;

    /** How many subjects are ensured at the same time. */
    static final int PARALLEL = 8;

    /** The key schema registered for producers that write keys with an Avro serializer. */
    public static final Schema KEY_SCHEMA = Schema.create(Schema.Type.STRING);

    /** One topic's value schema. */
    public record Contract(String topic, Schema value) {

        public String keySubject() {
            return ConfluentAvroSerde.subject(topic, true);
        }

        public String valueSubject() {
            return ConfluentAvroSerde.subject(topic, false);
        }
    }

    /** Every topic Lethe reads or writes, inputs first. */
    public static final List<Contract> ALL = List.of(
            new Contract(Topics.REQUESTS, ErasureRequested.getClassSchema()),
            new Contract(Topics.DECISIONS, Decision.getClassSchema()),
            new Contract(Topics.CALLBACKS, SystemCallback.getClassSchema()),
            new Contract(Topics.EVENTS, ErasureEvent.getClassSchema()),
            new Contract(Topics.AUDIT, AuditFact.getClassSchema()),
            new Contract(Topics.DATASET, ErasureRecord.getClassSchema()),
            new Contract(Topics.NOTIFICATIONS, Notification.getClassSchema()),
            new Contract(Topics.DLQ, DeadLetter.getClassSchema()),
            new Contract(Topics.SYSTEMS, SystemRegistration.getClassSchema()),
            new Contract(Topics.SUBJECT_INDEX, SubjectEntry.getClassSchema()),
            new Contract(Topics.ADMISSIONS, Admission.getClassSchema()),
            new Contract(Topics.KEYS, dev.lethe.avro.DataKey.getClassSchema()));

    private TopicContracts() {
    }

    /**
     * Sets the compatibility of every subject of {@link #ALL} and registers its schema there.
     *
     * @return the subjects, in the order of {@link #ALL}, each topic's key subject first
     * @throws IllegalStateException when the registry refuses a level or a schema (the first
     *         refused subject in that order)
     */
    public static List<String> register(SchemaRegistryClient registry) {
        final ExecutorService pool = Executors.newFixedThreadPool(PARALLEL, task -> {
            final Thread thread = new Thread(task, "lethe-topic-contracts");
            thread.setDaemon(true);
            return thread;
        });
        try {
            final List<Future<String>> ensured = new ArrayList<>();
            for (Contract contract : ALL) {
                ensured.add(pool.submit(() -> ensure(registry, contract.keySubject(), KEY_SCHEMA)));
                ensured.add(pool.submit(() -> ensure(registry, contract.valueSubject(), contract.value())));
            }
            final List<String> subjects = new ArrayList<>();
            for (Future<String> subject : ensured) {
                subjects.add(outcome(subject));
            }
            return subjects;
        } finally {
            pool.shutdownNow();
        }
    }

    private static String outcome(Future<String> subject) {
        try {
            return subject.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException("registering Lethe's schemas failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while registering Lethe's schemas", e);
        }
    }

    private static String ensure(SchemaRegistryClient registry, String subject, Schema schema) {
        try {
            final Compatibility current = registry.compatibility(subject).orElse(null);
            final Compatibility wanted = current == null ? COMPATIBILITY : current.join(COMPATIBILITY);
            if (current != wanted) {
                registry.setCompatibility(subject, wanted);
            }
            registry.register(subject, schema);
            return subject;
        } catch (SchemaRegistryException e) {
            final String why = e.status() == 409
                    ? "it is incompatible with a version already registered there (compatibility " + COMPATIBILITY
                    + " or stricter): " + e.getMessage()
                    : e.getMessage();
            throw new IllegalStateException("the schema registry refused Lethe's schema for subject " + subject
                    + ": " + why, e);
        }
    }
}
