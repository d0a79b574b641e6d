package dev.lethe.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.avro.ErasureEvent;
import dev.lethe.avro.ErasureRequested;
import dev.lethe.schemas.registry.Compatibility;
import dev.lethe.schemas.registry.InMemorySchemaRegistryClient;
import dev.lethe.schemas.registry.SchemaRegistryClient;
import dev.lethe.schemas.registry.SchemaRegistryException;
import java.util.ArrayList;
import java.util.List;
import java.util.Collections;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class TopicContractsTest {

    private static final List<String> TOPICS = List.of(Topics.REQUESTS, Topics.DECISIONS, Topics.CALLBACKS,
            Topics.EVENTS, Topics.AUDIT, Topics.DATASET, Topics.NOTIFICATIONS, Topics.DLQ, Topics.SYSTEMS,
            Topics.SUBJECT_INDEX, Topics.ADMISSIONS, Topics.KEYS);

    @Test
    void shouldRegisterAKeyAndAValueSubjectForEveryTopicAtBackwardTransitive() {
        final Watching registry = new Watching(new InMemorySchemaRegistryClient(), "none");

        final List<String> subjects = TopicContracts.register(registry);

        final List<String> expected = TOPICS.stream()
                .flatMap(topic -> Stream.of(topic + "-key", topic + "-value")).toList();
        assertEquals(expected, subjects);
        assertEquals(Set.copyOf(expected),
                registry.registrations().stream().map(Registration::subject).collect(Collectors.toSet()));
        assertEquals(expected.size(), registry.registrations().size());
        expected.forEach(subject -> assertEquals(Optional.of(Compatibility.BACKWARD_TRANSITIVE),
                registry.compatibility(subject), subject));
        registry.registrations().stream().filter(r -> r.subject().endsWith("-key"))
                .forEach(r -> assertEquals(Schema.create(Schema.Type.STRING), r.schema()));
        assertTrue(registry.registrations().contains(
                new Registration("erasure.requests-value", ErasureRequested.getClassSchema())));
        assertTrue(registry.registrations().contains(
                new Registration("erasure.events-value", ErasureEvent.getClassSchema())));
    }

    @Test
    void shouldKeepAStricterLevelASubjectAlreadyHasAndJoinAWeakerOne() {
        final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
        registry.setCompatibility("erasure.events-value", Compatibility.FULL_TRANSITIVE);
        registry.setCompatibility("erasure.audit-value", Compatibility.FORWARD);
        registry.setCompatibility("erasure.dlq-value", Compatibility.NONE);

        TopicContracts.register(registry);

        assertEquals(Optional.of(Compatibility.FULL_TRANSITIVE), registry.compatibility("erasure.events-value"));
        assertEquals(Optional.of(Compatibility.FULL_TRANSITIVE), registry.compatibility("erasure.audit-value"));
        assertEquals(Optional.of(Compatibility.BACKWARD_TRANSITIVE), registry.compatibility("erasure.dlq-value"));
    }

    @Test
    void shouldGiveTheSameIdsWhenRegisteredAgain() {
        final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
        TopicContracts.register(registry);
        final int requestsId = registry.register("erasure.requests-value", ErasureRequested.getClassSchema());

        TopicContracts.register(registry);

        assertEquals(requestsId, registry.register("erasure.requests-value", ErasureRequested.getClassSchema()));
    }

    @Test
    void refusesToGoOnWhenTheRegistryRefusesASchemaAndNamesTheSubject() {
        final SchemaRegistryClient refusing = new Watching(new InMemorySchemaRegistryClient(), "erasure.callbacks-value");

        final IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> TopicContracts.register(refusing));

        assertTrue(e.getMessage().contains("erasure.callbacks-value"), e.getMessage());
        assertTrue(e.getMessage().contains("incompatible"), e.getMessage());
        assertTrue(e.getMessage().contains("BACKWARD_TRANSITIVE"), e.getMessage());
    }

    @Test
    void shouldEnsureSubjectsConcurrentlyNotOneAfterAnother() {
        final InFlight registry = new InFlight(new InMemorySchemaRegistryClient());

        TopicContracts.register(registry);

        assertTrue(registry.most() >= 2, "at most " + registry.most() + " registration in flight at once");
    }

    /**
     * A registry whose first registration waits (up to 5 s) for a second one to begin, and that
     * counts how many are in flight at once: one after another, the most is 1.
     */
    private static final class InFlight implements Forwarding {
        private final SchemaRegistryClient delegate;
        private final CountDownLatch second = new CountDownLatch(2);
        private final AtomicInteger now = new AtomicInteger();
        private final AtomicInteger most = new AtomicInteger();

        InFlight(SchemaRegistryClient delegate) {
            this.delegate = delegate;
        }

        @Override
        public SchemaRegistryClient delegate() {
            return delegate;
        }

        int most() {
            return most.get();
        }

        @Override
        public int register(String subject, Schema schema) {
            most.accumulateAndGet(now.incrementAndGet(), Math::max);
            try {
                second.countDown();
                second.await(5, TimeUnit.SECONDS);
                return delegate.register(subject, schema);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } finally {
                now.decrementAndGet();
            }
        }
    }

    private record Registration(String subject, Schema schema) {
    }

    /** A test registry that answers everything but {@code register} from {@link #delegate()}. */
    private interface Forwarding extends SchemaRegistryClient {

        SchemaRegistryClient delegate();

        @Override
        default Schema schemaById(int id) {
            return delegate().schemaById(id);
        }

        @Override
        default Optional<Compatibility> compatibility(String subject) {
            return delegate().compatibility(subject);
        }

        @Override
        default void setCompatibility(String subject, Compatibility level) {
            delegate().setCompatibility(subject, level);
        }
    }

    /**
     * A registry that records registrations and answers 409 to one under {@code refusedSubject},
     * as Confluent's does for an incompatible schema.
     */
    private record Watching(SchemaRegistryClient delegate, String refusedSubject, List<Registration> registrations)
            implements Forwarding {

        Watching(SchemaRegistryClient delegate, String refusedSubject) {
            this(delegate, refusedSubject, Collections.synchronizedList(new ArrayList<>()));
        }

        @Override
        public int register(String subject, Schema schema) {
            registrations.add(new Registration(subject, schema));
            if (subject.equals(refusedSubject)) {
                throw new SchemaRegistryException("schema registry POST /subjects/" + subject
                        + "/versions answered 409: {\"error_code\":409}", 409);
            }
            return delegate.register(subject, schema);
        }
    }
}
