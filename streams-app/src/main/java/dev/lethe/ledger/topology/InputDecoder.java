package dev.lethe.ledger.topology;

import dev.lethe.avro.ErasureRequested;
import dev.lethe.avro.Identifier;
import dev.lethe.avro.SystemCallback;
import dev.lethe.ledger.domain.LedgerEvent;
import dev.lethe.schemas.LetheSerdes;
import dev.lethe.schemas.SubjectKeys;
import dev.lethe.schemas.Topics;
import dev.lethe.schemas.crypto.SealException;
import dev.lethe.schemas.crypto.Sealing;
import dev.lethe.schemas.serde.KeySerde;
import java.time.Instant;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Turns the raw bytes of the three input topics into ledger events, or says why it cannot: no
 * key, a key that is neither UTF-8 text nor a Confluent-Avro string, a value not in Confluent
 * Avro, a key that is not the request id in the value, a required field blank. The key is the
 * request id in either encoding ({@link dev.lethe.schemas.serde.KeySerde}). Messages name fields
 * and request ids, never identifier values (nor a key that is not the request id).
 */
final class InputDecoder {

    /** What the gateway issues and serves: a UUID in lower-case canonical text. */
    static final Pattern REQUEST_ID = Pattern.compile(
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    /** The times an index key (epoch milliseconds, newest first) and a deadline after it can hold. */
    static final Instant EARLIEST = Instant.EPOCH;
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");
    /** Ten years: far past what the gateway allows (365 days), and safe for the deadline arithmetic. */
    static final int MAX_GRACE_DAYS = 3650;

    private final LetheSerdes serdes;
    private final SubjectKeys subjectKeys;
    private final Sealing sealing;

    /** @param sealing opens requests the gateway sealed at intake */
    InputDecoder(LetheSerdes serdes, SubjectKeys subjectKeys, Sealing sealing) {
        this.serdes = serdes;
        this.subjectKeys = subjectKeys;
        this.sealing = sealing;
    }

    LedgerEvent decode(String topic, byte[] keyBytes, byte[] valueBytes) {
        return decode(topic, keyBytes, valueBytes, requestId -> null);
    }

    /**
     * @param dataKeys a request's data key in the clear, from the state this task keeps (null when
     *                 it has none: not here, never issued, or destroyed); opens a callback's sealed text
     */
    LedgerEvent decode(String topic, byte[] keyBytes, byte[] valueBytes, Function<String, byte[]> dataKeys) {
        final String key = serdes.key().deserialize(topic, keyBytes);
        if (key == null || key.isBlank()) {
            throw new InvalidInputException("record has no key; the key must be the request id");
        }
        if (valueBytes == null) {
            throw new InvalidInputException("record has no value");
        }
        final LedgerEvent event = switch (topic) {
            case Topics.REQUESTS -> received(opened(serdes.request().deserialize(topic, valueBytes)));
            case Topics.DECISIONS -> new LedgerEvent.Decided(AvroMapping.decision(
                    serdes.decision().deserialize(topic, valueBytes)));
            case Topics.CALLBACKS -> new LedgerEvent.CalledBack(AvroMapping.callback(
                    opened(serdes.callback().deserialize(topic, valueBytes), dataKeys)));
            case Topics.ADMISSIONS -> AvroMapping.gated(serdes.admission().deserialize(topic, valueBytes));
            default -> throw new InvalidInputException("the ledger does not read topic " + topic);
        };
        if (!key.equals(event.requestId())) {
            throw new InvalidInputException("the key (" + describe(keyBytes) + ") is not the record's request id "
                    + event.requestId() + "; the key must be the request id, as UTF-8 text or a Confluent-Avro string");
        }
        if (!REQUEST_ID.matcher(event.requestId()).matches()) {
            // Never echo it: a partner might have put an identifier there.
            throw new InvalidInputException("the request id is not a UUID in lower-case canonical form"
                    + " (e.g. 7f6c3c1e-4b8e-4a57-9e51-0c7a6f1d2b9a), the only form the HTTP API serves");
        }
        return event;
    }

    /** A request sealed at intake, opened (in memory only); a plaintext one as it is. */
    private ErasureRequested opened(ErasureRequested request) {
        try {
            return sealing.openRequest(request);
        } catch (SealException e) {
            throw new InvalidInputException("the sealed identifiers do not open: " + e.getMessage());
        }
    }

    /**
     * A callback whose text the gateway sealed, opened (in memory only) with its request's data key;
     * without the key here (not this request's partition, or destroyed) its text is dropped. A
     * plaintext one as it is.
     */
    private static SystemCallback opened(SystemCallback callback, Function<String, byte[]> dataKeys) {
        if (callback.getSealed() == null) {
            return callback;
        }
        try {
            final byte[] key = callback.getRequestId() == null ? null : dataKeys.apply(callback.getRequestId());
            if (key == null) {
                return SystemCallback.newBuilder(callback).setDetail(null).setLegalBasis(null).setSealed(null).build();
            }
            return Sealing.openCallback(callback, key);
        } catch (SealException e) {
            throw new InvalidInputException("the sealed callback text does not open with request "
                    + callback.getRequestId() + "'s data key: " + e.getMessage());
        }
    }

    private static String describe(byte[] keyBytes) {
        return KeySerde.form(keyBytes) == KeySerde.Form.TEXT ? "UTF-8 text" : "a Confluent-Avro string";
    }

    private LedgerEvent.Received received(ErasureRequested request) {
        require(request.getRequestId(), "requestId");
        require(request.getJurisdiction(), "jurisdiction");
        require(request.getReason(), "reason");
        require(request.getSource(), "source");
        identifier(request.getSubject(), "subject");
        for (int i = 0; i < request.getIdentifiers().size(); i++) {
            identifier(request.getIdentifiers().get(i), "identifiers[" + i + "]");
        }
        if (request.getGraceDays() < 0 || request.getGraceDays() > MAX_GRACE_DAYS) {
            throw new InvalidInputException("graceDays must be between 0 and " + MAX_GRACE_DAYS);
        }
        final Instant requestedAt = request.getRequestedAt();
        if (requestedAt == null || requestedAt.isBefore(EARLIEST) || requestedAt.isAfter(LATEST)) {
            throw new InvalidInputException("requestedAt must lie between " + EARLIEST + " and " + LATEST
                    + ", the times the ledger's indexes and deadlines can hold");
        }
        final Identifier subject = request.getSubject();
        final String subjectKey;
        try {
            subjectKey = subjectKeys.of(subject.getNamespace(), subject.getValue());
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("subject: " + e.getMessage());
        }
        return new LedgerEvent.Received(AvroMapping.request(request), subjectKey);
    }

    private static void identifier(Identifier identifier, String field) {
        require(identifier.getNamespace(), field + ".namespace");
        require(identifier.getValue(), field + ".value");
    }

    private static void require(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new InvalidInputException(field + " is blank");
        }
    }
}
