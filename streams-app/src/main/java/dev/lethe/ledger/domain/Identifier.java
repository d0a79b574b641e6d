package dev.lethe.ledger.domain;

/** One identifier of a data subject. The value is personal data, except under {@link #SUBJECT_KEY}. */
public record Identifier(String namespace, String value) {

    /**
     * The namespace of the subject of an erasure event sent for a finished request (replayed,
     * covered): the value is the request's subject key, a pseudonym, not an identifier.
     */
    public static final String SUBJECT_KEY = "subject_key";
}
