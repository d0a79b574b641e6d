package dev.lethe.gateway.ledger;

import java.util.List;

/** A system in the registry, as the ledger lists it. */
public record RegisteredSystem(String name, String owner, String contact, String mode, List<String> namespaces,
                               List<String> jurisdictions, List<String> tags, Integer slaDays,
                               Integer reminderHours) {
}
