package dev.lethe.ledger.topology;

/** Input that decodes but cannot be applied; it goes to the dead-letter topic with this message. */
final class InvalidInputException extends RuntimeException {

    InvalidInputException(String message) {
        super(message);
    }
}
