package dev.lethe.ledger.executor.opendsr;

import dev.lethe.avro.CallbackOutcome;
import dev.lethe.ledger.executor.Answer;
import dev.lethe.schemas.opendsr.Statuses;

/** A processor's {@code request_status} with its evidence as the executor's answer ({@link Statuses}). */
public final class OpenDsrStatuses {

    private OpenDsrStatuses() {
    }

    public static Answer answer(String status, String evidence) {
        final CallbackOutcome outcome = Statuses.outcome(status);
        return new Answer(outcome, null, outcome == CallbackOutcome.FAILED
                ? "the processor cancelled the request; " + evidence : evidence);
    }
}
