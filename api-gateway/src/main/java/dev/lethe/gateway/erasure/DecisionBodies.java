package dev.lethe.gateway.erasure;

import dev.lethe.gateway.api.ApiOptional;

/** The bodies of the decision routes, exactly as sent. */
public final class DecisionBodies {

    private DecisionBodies() {
    }

    /** {@code approve} and {@code retry}: an optional note. */
    public record NoteBody(@ApiOptional String note) {
    }

    /** {@code reject} and {@code cancel}: a required reason. */
    public record ReasonBody(String reason) {
    }

    /** {@code extend}: a required reason and, optionally, how many days (else the jurisdiction's standard). */
    public record ExtendBody(String reason, @ApiOptional Integer days) {
    }

    /** A route that takes no body (an empty body or {@code {}}). */
    public record NoBody() {
    }
}
