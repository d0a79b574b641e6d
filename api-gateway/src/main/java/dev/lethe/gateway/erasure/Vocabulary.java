package dev.lethe.gateway.erasure;

import java.util.List;

/**
 * The identifier namespaces and jurisdictions a request may name (from {@code LETHE_NAMESPACES}
 * and {@code LETHE_JURISDICTIONS}).
 */
public record Vocabulary(List<String> namespaces, List<String> jurisdictions) {

    public Vocabulary {
        namespaces = List.copyOf(namespaces);
        jurisdictions = List.copyOf(jurisdictions);
    }
}
