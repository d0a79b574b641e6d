package dev.lethe.gateway.ledger;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** A system in the registry, as the ledger lists it ({@code http}, {@code s3} and {@code sql} as the ledger gives them). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RegisteredSystem(String name, String owner, String contact, String mode, List<String> namespaces,
                               List<String> jurisdictions, List<String> tags, Integer slaDays,
                               Integer reminderHours, Integer maxAttempts, JsonNode http, JsonNode s3,
                               JsonNode sql) {

    /** Whether a person completes this system's erasures (mode {@code manual}). */
    public boolean manual() {
        return "manual".equals(mode);
    }
}
