package dev.lethe.ledger.topology;

import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lethe.ledger.domain.RequestStatus;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** A stored value the reader cannot make sense of is a {@link SerializationException}, whatever is wrong with it. */
class CompactBytesTest {

    @Test
    void refusesAnEnumNameThisVersionDoesNotKnowAsASerializationError() {
        final byte[] bytes = new CompactBytes.Writer(16).string("NOT_A_STATUS").toBytes();

        assertThrows(SerializationException.class, () -> new CompactBytes.Reader(bytes, 0).name(RequestStatus.class));
    }

    @Test
    void refusesALengthBeyondAnIntAsASerializationError() {
        // a varint of 2^40, zigzag-encoded: far beyond any length or count
        final byte[] bytes = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x40};

        assertThrows(SerializationException.class, () -> new CompactBytes.Reader(bytes, 0).varInt());
    }
}
