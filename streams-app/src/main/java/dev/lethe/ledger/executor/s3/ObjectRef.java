package dev.lethe.ledger.executor.s3;

/** One S3 object: a bucket and a (decoded) key. */
public record ObjectRef(String bucket, String key) {
}
