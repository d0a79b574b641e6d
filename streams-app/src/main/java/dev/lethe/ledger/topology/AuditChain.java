package dev.lethe.ledger.topology;

import dev.lethe.avro.AuditFact;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * The tamper evidence of a request's audit trail: every fact carries the SHA-256 of the fact
 * before it ({@code prevHash}) and its own hash over that and all its fields, so editing,
 * dropping or reordering any fact breaks every hash after it. The head (the last fact's hash)
 * goes into the certificate of erasure.
 *
 * <p>The hashed text (UTF-8) is each field, length-prefixed ({@code <code points>:<value>},
 * {@code -1:} for none), in a fixed order: prevHash, requestId, seq, at (epoch millis), type, actor, system,
 * detail, subjectKey, status. Anyone can recompute it from the facts on {@code erasure.audit}.
 */
public final class AuditChain {

    /** One digest per thread, reset by every {@code digest()}: looking one up per fact showed in profiles. */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(AuditChain::sha256);

    private AuditChain() {
    }

    /** {@code fact} with {@code prevHash} set (null for the first fact) and its own hash. */
    public static AuditFact link(AuditFact fact, String prevHash) {
        // the all-fields constructor, not a builder: a builder deep-copies every field, which showed in profiles
        final AuditFact linked = new AuditFact(fact.getRequestId(), fact.getSeq(), fact.getAt(), fact.getType(),
                fact.getActor(), fact.getSystem(), fact.getDetail(), fact.getSubjectKey(), fact.getStatus(), prevHash,
                null);
        linked.setHash(hash(linked));
        return linked;
    }

    /** The hash {@code fact} must carry, given its {@code prevHash}. */
    public static String hash(AuditFact fact) {
        final StringBuilder text = new StringBuilder(256);
        field(text, fact.getPrevHash());
        field(text, fact.getRequestId());
        field(text, Integer.toString(fact.getSeq()));
        field(text, Long.toString(fact.getAt().toEpochMilli()));
        field(text, fact.getType());
        field(text, fact.getActor());
        field(text, fact.getSystem());
        field(text, fact.getDetail());
        field(text, fact.getSubjectKey());
        field(text, fact.getStatus() == null ? null : fact.getStatus().name());
        return HexFormat.of().formatHex(SHA_256.get().digest(text.toString().getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Checks a whole trail, oldest first: sequence numbers 1, 2, 3 …, each {@code prevHash} the
     * hash before it, each hash recomputed. Returns the first problem, or null when it holds.
     */
    public static String verify(List<AuditFact> trail) {
        String prev = null;
        for (int i = 0; i < trail.size(); i++) {
            final AuditFact fact = trail.get(i);
            if (fact.getSeq() != i + 1) {
                return "fact " + (i + 1) + " has sequence number " + fact.getSeq();
            }
            if (!Objects.equals(prev, fact.getPrevHash())) {
                return "fact " + fact.getSeq() + " does not link to the fact before it";
            }
            if (fact.getHash() == null || !fact.getHash().equals(hash(fact))) {
                return "fact " + fact.getSeq() + " does not match its hash";
            }
            prev = fact.getHash();
        }
        return null;
    }

    private static void field(StringBuilder text, String value) {
        if (value == null) {
            text.append("-1:");
        } else {
            text.append(value.codePointCount(0, value.length())).append(':').append(value);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
