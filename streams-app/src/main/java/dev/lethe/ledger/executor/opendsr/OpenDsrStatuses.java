package dev.lethe.ledger.executor.opendsr;

import dev.lethe.avro.CallbackOutcome;
import dev.lethe.ledger.executor.Answer;
import java.util.Locale;

/**
 * A processor's {@code request_status} as a Lethe outcome: {@code pending} and
 * {@code in_progress} are news (PROGRESS: the system is IN_PROGRESS and chased again only after
 * its {@code reminderHours} without news), {@code completed} is DONE, {@code cancelled} is FAILED
 * (the processor will not erase: an officer retries or decides). Anything else is news too, with
 * the status named in the evidence.
 */
public final class OpenDsrStatuses {

    private OpenDsrStatuses() {
    }

    public static Answer answer(String status, String evidence) {
        return switch (status == null ? "" : status.toLowerCase(Locale.ROOT)) {
            case "completed" -> new Answer(CallbackOutcome.DONE, null, evidence);
            case "cancelled", "canceled" -> new Answer(CallbackOutcome.FAILED, null,
                    "the processor cancelled the request; " + evidence);
            default -> new Answer(CallbackOutcome.PROGRESS, null, evidence);
        };
    }
}
