package dev.lethe.schemas.registry;

import java.util.Optional;
import org.apache.avro.Schema;

/**
 * The part of the Confluent Schema Registry API that Lethe needs: register a writer schema under
 * a subject and get its global id; fetch a schema by id (the serdes; implementations cache both
 * ways); read and set a subject's compatibility level (the contract Lethe registers at start,
 * {@link dev.lethe.schemas.TopicContracts}).
 */
public interface SchemaRegistryClient {

    /** Registers (or finds) {@code schema} under {@code subject}; returns its global id. */
    int register(String subject, Schema schema);

    /** The schema with this global id; throws {@link SchemaRegistryException} when unknown. */
    Schema schemaById(int id);

    /**
     * The compatibility level set on {@code subject} itself; empty when it follows the global level.
     * Clients that serve only the serdes need not implement it.
     */
    default Optional<Compatibility> compatibility(String subject) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not read compatibility levels");
    }

    /** Sets {@code subject}'s own compatibility level (Confluent's {@code PUT /config/{subject}}). */
    default void setCompatibility(String subject, Compatibility level) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not set compatibility levels");
    }
}
