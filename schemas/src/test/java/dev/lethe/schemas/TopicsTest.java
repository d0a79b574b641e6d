package dev.lethe.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

/** The topic catalogue: names, co-partitioning and what is compacted or retained. */
class TopicsTest {

    private static final Set<String> COMPACTED = Set.of(Topics.SYSTEMS, Topics.DATASET, Topics.KEYS, Topics.ARCHIVE);

    private final List<TopicSpec> specs = Topics.all(Topics.Settings.defaults(6, (short) 3));
    private final Map<String, TopicSpec> byName = specs.stream()
            .collect(Collectors.toMap(TopicSpec::name, Function.identity()));

    @Test
    void shouldListThirteenTopics() {
        assertEquals(13, specs.size());
        assertEquals(Set.of("erasure.requests", "erasure.decisions", "erasure.callbacks", "erasure.systems",
                "erasure.events", "erasure.audit", "erasure.dataset", "erasure.dlq", "erasure.subject-index",
                "erasure.notifications", "erasure.admissions", "erasure.keys", "erasure.archive"),
                byName.keySet());
    }

    @Test
    void shouldCoPartitionInputTopics() {
        final Set<Integer> counts = Set.of(Topics.REQUESTS, Topics.DECISIONS, Topics.CALLBACKS, Topics.ADMISSIONS)
                .stream()
                .map(name -> byName.get(name).partitions()).collect(Collectors.toSet());

        assertEquals(Set.of(6), counts);
    }

    @Test
    void shouldUseConfiguredReplicationEverywhere() {
        specs.forEach(spec -> {
            assertEquals(3, spec.replicationFactor(), spec.name());
            assertEquals("2", spec.configs().get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG), spec.name());
        });
    }

    @Test
    void shouldCompactDatasetAndSystems() {
        for (String name : COMPACTED) {
            final Map<String, String> configs = byName.get(name).configs();
            assertEquals(TopicConfig.CLEANUP_POLICY_COMPACT, configs.get(TopicConfig.CLEANUP_POLICY_CONFIG), name);
            assertFalse(configs.containsKey(TopicConfig.RETENTION_MS_CONFIG), name);
        }
    }

    @Test
    void shouldKeepTheArchivesTombstonesLongerThanAnInstanceIsLikelyDown() {
        // a follower that comes back after longer misses a tombstone and keeps a request's older version
        assertEquals(Long.toString(Topics.Settings.ARCHIVE_TOMBSTONE_RETENTION.toMillis()),
                byName.get(Topics.ARCHIVE).configs().get(TopicConfig.DELETE_RETENTION_MS_CONFIG));
        assertEquals(Duration.ofDays(30), Topics.Settings.ARCHIVE_TOMBSTONE_RETENTION);
    }

    @Test
    void shouldDeleteOthersAfterTheirRetention() {
        final Map<String, Duration> expected = new HashMap<>(Map.of(
                Topics.REQUESTS, Duration.ofDays(120),
                Topics.DECISIONS, Duration.ofDays(120),
                Topics.CALLBACKS, Duration.ofDays(120),
                Topics.EVENTS, Duration.ofDays(120),
                Topics.AUDIT, Duration.ofDays(3650),
                Topics.DLQ, Duration.ofDays(120),
                Topics.NOTIFICATIONS, Duration.ofDays(120),
                Topics.SUBJECT_INDEX, Duration.ofDays(120),
                Topics.ADMISSIONS, Duration.ofDays(120)));

        specs.stream().filter(spec -> !COMPACTED.contains(spec.name())).forEach(spec -> {
            assertEquals(TopicConfig.CLEANUP_POLICY_DELETE, spec.configs().get(TopicConfig.CLEANUP_POLICY_CONFIG),
                    spec.name());
            assertEquals(Long.toString(expected.remove(spec.name()).toMillis()),
                    spec.configs().get(TopicConfig.RETENTION_MS_CONFIG), spec.name());
        });
        assertTrue(expected.isEmpty(), "not listed: " + expected.keySet());
    }

    @Test
    void shouldCompactTheDataKeysSoADestroyedKeyIsGoneWithinADay() {
        final Map<String, String> keys = byName.get(Topics.KEYS).configs();
        assertEquals(TopicConfig.CLEANUP_POLICY_COMPACT, keys.get(TopicConfig.CLEANUP_POLICY_CONFIG));
        assertEquals(Long.toString(Duration.ofDays(1).toMillis()), keys.get(TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG));
        assertEquals(Long.toString(Duration.ofHours(1).toMillis()), keys.get(TopicConfig.DELETE_RETENTION_MS_CONFIG));
    }

    @Test
    void shouldTakeRetentionsFromSettings() {
        final Topics.Settings settings = new Topics.Settings(1, (short) 1, 1,
                Duration.ofDays(40), Duration.ofDays(2000), Duration.ofDays(7));

        final Map<String, String> retention = Topics.all(settings).stream()
                .filter(spec -> spec.configs().containsKey(TopicConfig.RETENTION_MS_CONFIG))
                .collect(Collectors.toMap(TopicSpec::name, spec -> spec.configs().get(TopicConfig.RETENTION_MS_CONFIG)));

        assertEquals(Long.toString(Duration.ofDays(40).toMillis()), retention.get(Topics.REQUESTS));
        assertEquals(Long.toString(Duration.ofDays(2000).toMillis()), retention.get(Topics.AUDIT));
        assertEquals(Long.toString(Duration.ofDays(7).toMillis()), retention.get(Topics.DLQ));
    }

    @Test
    void shouldNotRequireMoreInSyncReplicasThanReplicas() {
        final List<TopicSpec> single = Topics.all(Topics.Settings.defaults(1, (short) 1));

        single.forEach(spec -> assertEquals("1", spec.configs().get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG)));
    }

    @Test
    void shouldRefuseTopicWithoutPartitions() {
        assertThrows(IllegalArgumentException.class, () -> new TopicSpec("t", 0, (short) 1, Map.of()));
    }

    @Test
    void shouldKeepSpecConfigsImmutable() {
        final Map<String, String> configs = new HashMap<>(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, "compact"));
        final TopicSpec spec = new TopicSpec("t", 1, (short) 1, configs);
        configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, "delete");

        assertEquals("compact", spec.configs().get(TopicConfig.CLEANUP_POLICY_CONFIG));
        assertThrows(UnsupportedOperationException.class, () -> spec.configs().put("x", "y"));
    }
}
