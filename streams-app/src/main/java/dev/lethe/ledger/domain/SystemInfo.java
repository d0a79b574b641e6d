package dev.lethe.ledger.domain;

import java.util.Set;

/** What routing needs to know of a registered system. */
public record SystemInfo(String name, Set<String> namespaces, Set<String> jurisdictions) {

    public SystemInfo {
        namespaces = Set.copyOf(namespaces);
        jurisdictions = Set.copyOf(jurisdictions);
    }
}
