package dev.lethe.schemas.registry;

/**
 * A subject's compatibility level, as Confluent's registry names them: which registered versions
 * a new schema is checked against (the latest, or every one for the {@code _TRANSITIVE} levels)
 * and in which direction (BACKWARD: the new schema reads data written with the old; FORWARD: the
 * old reads the new; FULL: both; NONE: no check).
 */
public enum Compatibility {
    NONE(false, false, false),
    BACKWARD(true, false, false),
    BACKWARD_TRANSITIVE(true, false, true),
    FORWARD(false, true, false),
    FORWARD_TRANSITIVE(false, true, true),
    FULL(true, true, false),
    FULL_TRANSITIVE(true, true, true);

    private final boolean backward;
    private final boolean forward;
    private final boolean transitive;

    Compatibility(boolean backward, boolean forward, boolean transitive) {
        this.backward = backward;
        this.forward = forward;
        this.transitive = transitive;
    }

    /** Whether a new schema must read data written with the registered ones. */
    public boolean backward() {
        return backward;
    }

    /** Whether the registered schemas must read data written with a new one. */
    public boolean forward() {
        return forward;
    }

    /** Whether a new schema is checked against every registered version, not only the latest. */
    public boolean transitive() {
        return transitive;
    }

    /**
     * The weakest level that checks everything this level and {@code other} check: BACKWARD and
     * FORWARD join to FULL, FULL and BACKWARD_TRANSITIVE to FULL_TRANSITIVE.
     */
    public Compatibility join(Compatibility other) {
        final boolean b = backward || other.backward;
        final boolean f = forward || other.forward;
        final boolean t = transitive || other.transitive;
        for (Compatibility level : values()) {
            if (level.backward == b && level.forward == f && level.transitive == t) {
                return level;
            }
        }
        throw new IllegalStateException("no compatibility level joins " + this + " and " + other);
    }
}
