package dev.lethe.ledger.executor;

import dev.lethe.avro.SystemRegistration;
import java.util.Optional;

/** Finds a system's current registration by name. */
@FunctionalInterface
public interface SystemLookup {

    Optional<SystemRegistration> find(String name);
}
