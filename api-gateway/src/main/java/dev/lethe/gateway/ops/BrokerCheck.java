package dev.lethe.gateway.ops;

/** Whether the gateway can reach the Kafka cluster it writes to; never throws. */
@FunctionalInterface
public interface BrokerCheck {

    boolean reachable();
}
