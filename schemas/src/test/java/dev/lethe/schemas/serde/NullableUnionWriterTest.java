package dev.lethe.schemas.serde;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.lethe.avro.RequestState;
import dev.lethe.avro.RequestStatus;
import dev.lethe.avro.SystemCallback;
import dev.lethe.avro.SystemState;
import dev.lethe.avro.SystemStatus;
import dev.lethe.schemas.Samples;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/** The fast union writer writes exactly the bytes Avro's own writer does, nulls or not. */
class NullableUnionWriterTest {

    @Test
    void shouldWriteTheSameBytesAsAvroForSetAndUnsetOptionalFields() throws IOException {
        final SystemCallback full = Samples.callback();
        final SystemCallback sparse = SystemCallback.newBuilder(full).setDetail(null).setItemsErased(null)
                .setLegalBasis(null).build();

        assertSameBytes(full);
        assertSameBytes(sparse);
    }

    @Test
    void shouldWriteTheSameBytesAsAvroForNestedRecordsWithOptionalFields() throws IOException {
        final Instant at = Instant.parse("2026-03-01T09:00:00Z");
        final RequestState state = RequestState.newBuilder().setRequestId("r-1").setStatus(RequestStatus.IN_PROGRESS)
                .setSubjectKey("key").setDeadline(at).setSystems(List.of(
                        SystemState.newBuilder().setName("crm").setStatus(SystemStatus.DONE).setUpdatedAt(at)
                                .setItemsErased(3L).setDetail("gone").build(),
                        SystemState.newBuilder().setName("billing").setStatus(SystemStatus.DISPATCHED)
                                .setUpdatedAt(at).setNextReminderAt(at).build()))
                .build();

        assertSameBytes(state);
        assertSameBytes(RequestState.newBuilder().setRequestId("r-2").build());
    }

    private static <T extends SpecificRecord> void assertSameBytes(T record) throws IOException {
        final SpecificData model = SpecificData.getForClass(record.getClass());
        assertArrayEquals(write(new SpecificDatumWriter<>(record.getSchema(), model), record),
                write(new NullableUnionWriter<>(record.getSchema(), model), record));
    }

    private static <T> byte[] write(DatumWriter<T> writer, T record) throws IOException {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        writer.write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
