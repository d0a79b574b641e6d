package dev.lethe.schemas.systems;

/**
 * A system registration that {@link SystemsValidator} refused: a machine code, a message for a
 * person and the JSON path of the field at fault ({@code s3.window.zone}), or null when no
 * single field is.
 */
public final class InvalidRegistrationException extends IllegalArgumentException {

    private final String code;
    private final String field;

    public InvalidRegistrationException(String code, String message, String field) {
        super(message);
        this.code = code;
        this.field = field;
    }

    /** {@code missing_field}, {@code unknown_field}, {@code invalid_type} or {@code invalid_value}. */
    public String code() {
        return code;
    }

    /** The JSON path of the field at fault, or null. */
    public String field() {
        return field;
    }
}
