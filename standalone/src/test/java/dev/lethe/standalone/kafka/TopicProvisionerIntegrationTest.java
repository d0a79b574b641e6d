package dev.lethe.standalone.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.schemas.TopicProvisioner;
import dev.lethe.schemas.TopicSpec;
import dev.lethe.schemas.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up refuses to run on topics whose configuration contradicts Lethe's. */
@Tag("integration")
class TopicProvisionerIntegrationTest {

    @TempDir
    static Path dataDir;
    private static EmbeddedKafkaBroker broker;
    private static Admin admin;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.onFreePorts(dataDir).start();
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }

    @AfterAll
    static void stopBroker() {
        admin.close();
        broker.close();
    }

    @Test
    void shouldCreateEveryLetheTopicWithItsConfigAndAcceptThemOnTheNextStart() throws Exception {
        final List<TopicSpec> specs = Topics.all(Topics.Settings.defaults(3, (short) 1));
        final TopicProvisioner provisioner = new TopicProvisioner(admin, Duration.ofSeconds(30));

        provisioner.ensure(specs);
        provisioner.ensure(specs);

        final var described = admin.describeTopics(List.of(Topics.DATASET, Topics.REQUESTS)).allTopicNames().get();
        assertEquals(3, described.get(Topics.REQUESTS).partitions().size());
        final var configs = admin.describeConfigs(List.of(new org.apache.kafka.common.config.ConfigResource(
                org.apache.kafka.common.config.ConfigResource.Type.TOPIC, Topics.DATASET))).all().get();
        assertEquals(TopicConfig.CLEANUP_POLICY_COMPACT,
                configs.values().iterator().next().get(TopicConfig.CLEANUP_POLICY_CONFIG).value());
    }

    @Test
    void shouldRefuseToStartOnATopicWithAnotherPartitionCountOrCleanupPolicy() {
        final TopicProvisioner provisioner = new TopicProvisioner(admin, Duration.ofSeconds(30));
        provisioner.ensure(List.of(
                new TopicSpec("conflict.partitions", 2, (short) 1, Map.of()),
                new TopicSpec("conflict.policy", 1, (short) 1,
                        Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE))));

        final IllegalStateException refused = assertThrows(IllegalStateException.class, () -> provisioner.ensure(List.of(
                new TopicSpec("conflict.partitions", 3, (short) 1, Map.of()),
                new TopicSpec("conflict.policy", 1, (short) 1,
                        Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)))));

        assertTrue(refused.getMessage().contains("conflict.partitions has 2 partitions, Lethe needs 3"),
                refused.getMessage());
        assertTrue(refused.getMessage().contains("conflict.policy has cleanup.policy=delete, Lethe needs compact"),
                refused.getMessage());
    }
}
