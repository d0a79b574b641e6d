package dev.lethe.ledger.domain;

import java.util.List;

/** Narrows a request's systems: only {@code systems} when not empty, never {@code exclude}. */
public record Scope(List<String> systems, List<String> exclude) {

    public static final Scope ALL = new Scope(List.of(), List.of());

    public Scope {
        systems = List.copyOf(systems);
        exclude = List.copyOf(exclude);
    }

    boolean admits(String system) {
        return (systems.isEmpty() || systems.contains(system)) && !exclude.contains(system);
    }
}
