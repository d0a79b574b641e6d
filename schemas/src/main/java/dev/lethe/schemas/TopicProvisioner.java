package dev.lethe.schemas;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates Lethe's topics up front and checks the ones that exist. A topic whose partition count
 * or cleanup policy contradicts its spec is a start-up error that names the topic and both
 * values, because running on it would break co-partitioning or compaction silently.
 *
 * <p>After creating, it waits until every partition answers a {@code listOffsets} call: an
 * idempotent producer that writes to a partition whose leader is not yet known everywhere can
 * lose records (KAFKA-15591), and Lethe must never lose a request.
 */
public final class TopicProvisioner {

    private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);
    private static final Set<String> CHECKED_CONFIGS = Set.of("cleanup.policy");

    private final Admin admin;
    private final Duration timeout;

    public TopicProvisioner(Admin admin, Duration timeout) {
        this.admin = admin;
        this.timeout = timeout;
    }

    /** Creates the missing topics, verifies the existing ones, then waits for every partition. */
    public void ensure(Collection<TopicSpec> specs) {
        try {
            final Set<String> existing = admin.listTopics().names().get();
            final List<TopicSpec> missing = specs.stream().filter(s -> !existing.contains(s.name())).toList();
            create(missing);
            verify(specs.stream().filter(s -> existing.contains(s.name())).toList());
            awaitPartitionsReady(specs);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot provision Kafka topics: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while provisioning Kafka topics", e);
        }
    }

    private void create(List<TopicSpec> missing) throws InterruptedException, ExecutionException {
        if (missing.isEmpty()) {
            return;
        }
        final List<NewTopic> topics = missing.stream()
                .map(s -> new NewTopic(s.name(), s.partitions(), s.replicationFactor()).configs(s.configs()))
                .toList();
        for (var entry : admin.createTopics(topics).values().entrySet()) {
            try {
                entry.getValue().get();
                LOG.info("created topic {}", entry.getKey());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
    }

    private void verify(List<TopicSpec> existing) throws InterruptedException, ExecutionException {
        if (existing.isEmpty()) {
            return;
        }
        final Map<String, TopicDescription> descriptions = admin
                .describeTopics(existing.stream().map(TopicSpec::name).toList()).allTopicNames().get();
        final Map<ConfigResource, Config> configs = admin.describeConfigs(existing.stream()
                .map(s -> new ConfigResource(ConfigResource.Type.TOPIC, s.name())).toList()).all().get();
        final List<String> conflicts = new ArrayList<>();
        for (TopicSpec spec : existing) {
            final int partitions = descriptions.get(spec.name()).partitions().size();
            if (partitions != spec.partitions()) {
                conflicts.add(spec.name() + " has " + partitions + " partitions, Lethe needs " + spec.partitions());
            }
            final Config actual = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, spec.name()));
            for (String name : CHECKED_CONFIGS) {
                final String wanted = spec.configs().get(name);
                final ConfigEntry entry = actual.get(name);
                if (wanted != null && entry != null && !wanted.equals(entry.value())) {
                    conflicts.add(spec.name() + " has " + name + "=" + entry.value() + ", Lethe needs " + wanted);
                }
            }
        }
        if (!conflicts.isEmpty()) {
            throw new IllegalStateException("existing topics conflict with Lethe's configuration: "
                    + String.join("; ", conflicts));
        }
    }

    private void awaitPartitionsReady(Collection<TopicSpec> specs) throws InterruptedException {
        final Instant deadline = Instant.now().plus(timeout);
        final Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
        for (TopicSpec spec : specs) {
            for (int p = 0; p < spec.partitions(); p++) {
                partitions.put(new TopicPartition(spec.name(), p), OffsetSpec.latest());
            }
        }
        ExecutionException last = null;
        while (Instant.now().isBefore(deadline)) {
            try {
                admin.listOffsets(partitions).all().get();
                return;
            } catch (ExecutionException e) {
                last = e;
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("topics not ready after " + timeout + ": "
                + specs.stream().map(TopicSpec::name).collect(Collectors.joining(", "))
                + (last == null ? "" : " (" + last.getCause().getMessage() + ")"));
    }
}
