package dev.lethe.ledger.executor.s3;

/**
 * An object reference as it was parsed from a request: an object to delete, a manifest object
 * that lists further objects, or a reference that is refused (unreadable, or outside the
 * system's buckets) with the reason. A refused reference is never deleted.
 */
public sealed interface Reference {

    record Object(ObjectRef ref) implements Reference {
    }

    record Manifest(ObjectRef ref) implements Reference {
    }

    record Refused(String reason) implements Reference {
    }
}
