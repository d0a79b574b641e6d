package dev.lethe.ledger.domain;

/** What a system reports in a callback. */
public enum Outcome {
    DONE, NOT_FOUND, RETAINED, FAILED, PROGRESS;

    SystemStatus status() {
        return switch (this) {
            case DONE -> SystemStatus.DONE;
            case NOT_FOUND -> SystemStatus.NOT_FOUND;
            case RETAINED -> SystemStatus.RETAINED;
            case FAILED -> SystemStatus.FAILED;
            case PROGRESS -> SystemStatus.IN_PROGRESS;
        };
    }
}
