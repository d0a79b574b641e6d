package dev.lethe.standalone.scan;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads every record of every topic the cluster lists (internal ones included: changelogs,
 * repartition topics, {@code _schemas}, {@code __consumer_offsets}, {@code __transaction_state})
 * with a plain consumer: all partitions assigned, each read from its earliest offset up to the end
 * offset taken when the scan started, so the result is one consistent, bounded read of a running
 * cluster. Records of aborted transactions are read too ({@code read_uncommitted}): they are on
 * the broker's disks like any other. Keys, values and headers (names and values) are searched.
 */
final class TopicScan {

    private static final Duration POLL = Duration.ofMillis(500);

    private final Map<String, Object> clientProperties;
    private final Duration timeout;

    TopicScan(String bootstrapServers, Map<String, String> extraProperties, Duration timeout) {
        final Map<String, Object> props = new HashMap<>(extraProperties);
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        this.clientProperties = props;
        this.timeout = timeout;
    }

    void scan(ByteMatcher matcher, HitCollector hits, List<String> read, List<String> problems) {
        final Instant deadline = Instant.now().plus(timeout);
        final Map<String, TopicDescription> topics;
        try (Admin admin = Admin.create(adminProperties())) {
            final Set<String> names = admin.listTopics(new ListTopicsOptions().listInternal(true)).names()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            topics = new TreeMap<>(admin.describeTopics(names).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (ExecutionException | TimeoutException e) {
            problems.add("Kafka at " + clientProperties.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG)
                    + ": cannot list the topics (" + message(e) + ")");
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problems.add("Kafka: interrupted while listing the topics");
            return;
        }
        final List<TopicPartition> partitions = new ArrayList<>();
        topics.values().forEach(topic -> topic.partitions().forEach(
                partition -> partitions.add(new TopicPartition(topic.name(), partition.partition()))));
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties(),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            readAll(consumer, partitions, deadline, matcher, hits, topics.keySet(), read, problems);
        } catch (RuntimeException e) {
            problems.add("Kafka: reading the topics failed (" + message(e) + ")");
        }
    }

    private void readAll(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions, Instant deadline,
                         ByteMatcher matcher, HitCollector hits, Set<String> topicNames, List<String> read,
                         List<String> problems) {
        final Duration left = Duration.between(Instant.now(), deadline);
        final Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, left);
        final Map<TopicPartition, Long> end = consumer.endOffsets(partitions, left);
        final Set<TopicPartition> open = new HashSet<>();
        partitions.stream().filter(tp -> end.get(tp) > begin.get(tp)).forEach(open::add);
        consumer.assign(open);
        open.forEach(tp -> consumer.seek(tp, begin.get(tp)));
        final Map<String, long[]> records = new TreeMap<>();
        topicNames.forEach(name -> records.put(name, new long[1]));
        while (!open.isEmpty() && Instant.now().isBefore(deadline)) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                final TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                if (record.offset() < end.get(tp)) {
                    records.get(record.topic())[0]++;
                    search(record, matcher, hits);
                }
            }
            final Set<TopicPartition> done = new HashSet<>();
            for (TopicPartition tp : open) {
                if (consumer.position(tp) >= end.get(tp)) {
                    done.add(tp);
                }
            }
            open.removeAll(done);
            consumer.pause(done);
        }
        open.forEach(tp -> problems.add("topic " + tp.topic() + " partition " + tp.partition()
                + ": not read to its end offset " + end.get(tp) + " within " + timeout.toSeconds() + " s (at "
                + consumer.position(tp) + ")"));
        records.forEach((topic, count) -> read.add("topic " + topic + ": " + partitionCount(partitions, topic)
                + " partitions, " + count[0] + " records (offsets from the earliest to the end at the start)"));
    }

    private static long partitionCount(List<TopicPartition> partitions, String topic) {
        return partitions.stream().filter(tp -> tp.topic().equals(topic)).count();
    }

    private static void search(ConsumerRecord<byte[], byte[]> record, ByteMatcher matcher, HitCollector hits) {
        final String at = "p" + record.partition() + "@" + record.offset();
        matcher.search(record.key(), (value, pattern, offset) ->
                hits.add(value, pattern, Hit.Source.TOPIC, record.topic(), at + " key"));
        matcher.search(record.value(), (value, pattern, offset) ->
                hits.add(value, pattern, Hit.Source.TOPIC, record.topic(), at + " value"));
        int index = 0;
        for (Header header : record.headers()) {
            final String where = at + " header " + index++;
            matcher.search(header.key().getBytes(java.nio.charset.StandardCharsets.UTF_8), (value, pattern, offset) ->
                    hits.add(value, pattern, Hit.Source.TOPIC, record.topic(), where + " name"));
            matcher.search(header.value(), (value, pattern, offset) ->
                    hits.add(value, pattern, Hit.Source.TOPIC, record.topic(), where + " value"));
        }
    }

    private Map<String, Object> adminProperties() {
        final Map<String, Object> props = new HashMap<>(clientProperties);
        props.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "lethe-pii-scan");
        props.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        props.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeout.toMillis(), 30_000));
        return props;
    }

    private Map<String, Object> consumerProperties() {
        final Map<String, Object> props = new HashMap<>(clientProperties);
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "lethe-pii-scan");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        return props;
    }

    private static String message(Throwable e) {
        final Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }
}
