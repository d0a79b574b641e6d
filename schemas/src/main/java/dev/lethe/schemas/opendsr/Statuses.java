package dev.lethe.schemas.opendsr;

import dev.lethe.avro.CallbackOutcome;
import java.util.Locale;

/**
 * A processor's {@code request_status} as a Lethe callback outcome: {@code pending} and
 * {@code in_progress} are news (PROGRESS: the system is IN_PROGRESS and chased again only after
 * its {@code reminderHours} without news), {@code completed} is DONE, {@code cancelled} is FAILED
 * (the processor will not erase: an officer retries or decides). Anything else is news too, with
 * the status named in the evidence.
 */
public final class Statuses {

    private Statuses() {
    }

    public static CallbackOutcome outcome(String status) {
        return switch (status == null ? "" : status.toLowerCase(Locale.ROOT)) {
            case "completed" -> CallbackOutcome.DONE;
            case "cancelled", "canceled" -> CallbackOutcome.FAILED;
            default -> CallbackOutcome.PROGRESS;
        };
    }

    /**
     * Lethe's request status (a {@code RequestStatus} name) as an OpenDSR {@code request_status}:
     * RECEIVED, PENDING_APPROVAL and SCHEDULED are {@code pending}, COMPLETED and
     * COMPLETED_WITH_EXCEPTIONS {@code completed}, REJECTED and CANCELLED {@code cancelled},
     * anything else (IN_PROGRESS) {@code in_progress}.
     */
    public static String ofLethe(String status) {
        return switch (status == null ? "" : status) {
            case "RECEIVED", "PENDING_APPROVAL", "SCHEDULED" -> "pending";
            case "COMPLETED", "COMPLETED_WITH_EXCEPTIONS" -> "completed";
            case "REJECTED", "CANCELLED" -> "cancelled";
            default -> "in_progress";
        };
    }
}
