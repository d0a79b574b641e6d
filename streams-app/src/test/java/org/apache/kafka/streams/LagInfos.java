package org.apache.kafka.streams;

/**
 * Makes {@link LagInfo}s for tests: its constructor is package-private in Kafka Streams, and a test
 * that fakes a store copy's lag (a standby far behind) needs one.
 */
public final class LagInfos {

    private LagInfos() {
    }

    public static LagInfo of(long currentOffsetPosition, long endOffsetPosition) {
        return new LagInfo(currentOffsetPosition, endOffsetPosition);
    }
}
