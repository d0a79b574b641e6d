package dev.lethe.schemas;

import java.util.Map;

/**
 * A topic as Lethe needs it: name, partitions, replication and the topic-level configs that
 * matter (cleanup policy, retention). Start-up creates missing topics from these and refuses to
 * run against an existing topic whose settings contradict them.
 */
public record TopicSpec(String name, int partitions, short replicationFactor, Map<String, String> configs) {

    public TopicSpec {
        if (partitions < 1) {
            throw new IllegalArgumentException("topic " + name + " needs at least one partition");
        }
        configs = Map.copyOf(configs);
    }
}
