package dev.lethe.bench;

import java.time.Duration;
import org.apache.kafka.streams.KafkaStreams;
import org.awaitility.Awaitility;

/** Starts a Kafka Streams client and waits until it is RUNNING (failing fast if it stops instead). */
final class Running {

    private Running() {
    }

    static void start(KafkaStreams streams, Duration timeout) {
        streams.start();
        try {
            Awaitility.await("Kafka Streams to run").atMost(timeout).pollInterval(Duration.ofMillis(20))
                    .until(() -> {
                        final KafkaStreams.State state = streams.state();
                        if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.NOT_RUNNING) {
                            throw new IllegalStateException("Kafka Streams stopped while starting: " + state);
                        }
                        return state == KafkaStreams.State.RUNNING;
                    });
        } catch (RuntimeException e) {
            streams.close(Duration.ofSeconds(30));
            throw e;
        }
    }
}
