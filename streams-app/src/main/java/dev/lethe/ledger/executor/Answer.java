package dev.lethe.ledger.executor;

import dev.lethe.avro.CallbackOutcome;

/**
 * What an executor answers for one (request, system): a terminal outcome with the number of items
 * erased (when known) and a detail that becomes the audit evidence. Never carries raw identifiers.
 */
public record Answer(CallbackOutcome outcome, Long itemsErased, String detail) {

    public static Answer done(long items, String detail) {
        return new Answer(CallbackOutcome.DONE, items, detail);
    }

    public static Answer notFound(String detail) {
        return new Answer(CallbackOutcome.NOT_FOUND, 0L, detail);
    }

    public static Answer failed(String detail) {
        return new Answer(CallbackOutcome.FAILED, null, detail);
    }
}
