package dev.lethe.ledger.topology;

import dev.lethe.avro.ErasureRequested;
import dev.lethe.avro.Identifier;
import dev.lethe.ledger.domain.LedgerEvent;
import dev.lethe.schemas.LetheSerdes;
import dev.lethe.schemas.SubjectKeys;
import dev.lethe.schemas.Topics;
import dev.lethe.schemas.serde.KeySerde;

/**
 * Turns the raw bytes of the three input topics into ledger events, or says why it cannot: no
 * key, a key that is neither UTF-8 text nor a Confluent-Avro string, a value not in Confluent
 * Avro, a key that is not the request id in the value, a required field blank. The key is the
 * request id in either encoding ({@link dev.lethe.schemas.serde.KeySerde}). Messages name fields
 * and request ids, never identifier values (nor a key that is not the request id).
 */
final class InputDecoder {

    private final LetheSerdes serdes;
    private final SubjectKeys subjectKeys;

    InputDecoder(LetheSerdes serdes, SubjectKeys subjectKeys) {
        this.serdes = serdes;
        this.subjectKeys = subjectKeys;
    }

    LedgerEvent decode(String topic, byte[] keyBytes, byte[] valueBytes) {
        final String key = serdes.key().deserialize(topic, keyBytes);
        if (key == null || key.isBlank()) {
            throw new InvalidInputException("record has no key; the key must be the request id");
        }
        if (valueBytes == null) {
            throw new InvalidInputException("record has no value");
        }
        final LedgerEvent event = switch (topic) {
            case Topics.REQUESTS -> received(serdes.request().deserialize(topic, valueBytes));
            case Topics.DECISIONS -> new LedgerEvent.Decided(AvroMapping.decision(
                    serdes.decision().deserialize(topic, valueBytes)));
            case Topics.CALLBACKS -> new LedgerEvent.CalledBack(AvroMapping.callback(
                    serdes.callback().deserialize(topic, valueBytes)));
            default -> throw new InvalidInputException("the ledger does not read topic " + topic);
        };
        if (!key.equals(event.requestId())) {
            throw new InvalidInputException("the key (" + describe(keyBytes) + ") is not the record's request id "
                    + event.requestId() + "; the key must be the request id, as UTF-8 text or a Confluent-Avro string");
        }
        return event;
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
        if (request.getGraceDays() < 0) {
            throw new InvalidInputException("graceDays must not be negative");
        }
        final Identifier subject = request.getSubject();
        final String subjectKey = subjectKeys.of(subject.getNamespace(), subject.getValue());
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
