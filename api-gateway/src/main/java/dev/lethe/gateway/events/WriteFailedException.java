package dev.lethe.gateway.events;

/** An event could not be written durably within the write timeout; it must be taken as not accepted. */
public class WriteFailedException extends RuntimeException {

    public WriteFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
