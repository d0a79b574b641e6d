package dev.lethe.ledger.executor;

import dev.lethe.avro.ErasureEvent;
import dev.lethe.avro.SystemRegistration;

/**
 * Erases one subject's data from one system. Implementations must be idempotent: the loop may
 * call them again for the same (request, system) after a crash before its answer was committed.
 */
public interface SystemEraser {

    Answer erase(ErasureEvent event, SystemRegistration system, Progress progress);
}
