package dev.lethe.chaos;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * What a fake partner will answer for one (request, system): drawn from the pair, so that the
 * check knows every request's right final state without asking the partners.
 */
public enum Plan {
    DONE, NOT_FOUND, RETAINED, FAILED_THEN_DONE;

    /** The plan of {@code system} for request {@code id}. */
    public static Plan of(String id, String system) {
        final int draw = Math.floorMod(UUID.nameUUIDFromBytes((id + "/" + system).getBytes(StandardCharsets.UTF_8))
                .hashCode(), 100);
        if (draw < 60) {
            return DONE;
        }
        if (draw < 72) {
            return NOT_FOUND;
        }
        return draw < 84 ? RETAINED : FAILED_THEN_DONE;
    }

    /** The system's final status once its partner has answered. */
    public String finalSystemStatus() {
        return this == FAILED_THEN_DONE ? "DONE" : name();
    }

    /** The request's right final status: with exceptions when any partner system retained data. */
    public static String finalStatus(String id, List<String> partnerSystems) {
        return partnerSystems.stream().anyMatch(s -> of(id, s) == RETAINED) ? "COMPLETED_WITH_EXCEPTIONS" : "COMPLETED";
    }
}
