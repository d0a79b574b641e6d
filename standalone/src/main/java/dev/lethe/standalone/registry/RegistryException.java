package dev.lethe.standalone.registry;

/**
 * A refusal in Confluent's terms: an HTTP status plus the registry's own error code, answered as
 * {@code {"error_code": N, "message": "..."}} so that Confluent clients understand it.
 */
final class RegistryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final int errorCode;

    private RegistryException(int status, int errorCode, String message) {
        this(status, errorCode, message, null);
    }

    private RegistryException(int status, int errorCode, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.errorCode = errorCode;
    }

    static RegistryException subjectNotFound(String subject) {
        return new RegistryException(404, 40401, "Subject '" + subject + "' not found.");
    }

    static RegistryException versionNotFound(String subject, String version) {
        return new RegistryException(404, 40402, "Version " + version + " not found for subject '" + subject + "'.");
    }

    static RegistryException schemaNotFound(String what) {
        return new RegistryException(404, 40403, "Schema not found: " + what);
    }

    static RegistryException subjectLevelNotFound(String subject) {
        return new RegistryException(404, 40408, "Subject '" + subject
                + "' does not have subject-level compatibility configured");
    }

    static RegistryException invalidCompatibility(String level) {
        return new RegistryException(422, 42203, "Invalid compatibility level '" + level + "'. Valid values are"
                + " NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE");
    }

    static RegistryException invalidSchema(String why) {
        return new RegistryException(422, 42201, "Invalid schema: " + why);
    }

    static RegistryException invalidSchema(String why, Throwable cause) {
        return new RegistryException(422, 42201, "Invalid schema: " + why, cause);
    }

    static RegistryException invalidVersion(String version) {
        return new RegistryException(422, 42202, "The specified version '" + version
                + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"");
    }

    static RegistryException incompatible(String subject, String details) {
        return new RegistryException(409, 409, "Schema being registered is incompatible with an earlier schema"
                + " for subject \"" + subject + "\", details: " + details);
    }

    static RegistryException badRequest(String why, Throwable cause) {
        return new RegistryException(400, 400, why, cause);
    }

    int status() {
        return status;
    }

    int errorCode() {
        return errorCode;
    }
}
