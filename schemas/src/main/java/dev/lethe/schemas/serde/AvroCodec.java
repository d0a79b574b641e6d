package dev.lethe.schemas.serde;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * How one Java type is written as Avro and read back from any compatible writer schema.
 *
 * @param <T> the Java type
 */
public interface AvroCodec<T> {

    /** The schema this codec writes with (and reads into). */
    Schema schema();

    DatumWriter<T> writer();

    /** A reader that resolves {@code writerSchema} (possibly older or newer) into {@link #schema()}. */
    DatumReader<T> reader(Schema writerSchema);

    /** Turns what the reader produced into {@code T} (Avro reads strings as {@code Utf8}). */
    default T fromDatum(Object datum) {
        @SuppressWarnings("unchecked") final T value = (T) datum;
        return value;
    }

    /** A codec for a generated Avro class. */
    static <T extends SpecificRecord> AvroCodec<T> specific(Class<T> type) {
        final SpecificData model = SpecificData.getForClass(type);
        final Schema schema = model.getSchema(type);
        return new AvroCodec<>() {
            @Override
            public Schema schema() {
                return schema;
            }

            @Override
            public DatumWriter<T> writer() {
                return new NullableUnionWriter<>(schema, model);
            }

            @Override
            public DatumReader<T> reader(Schema writerSchema) {
                return new SpecificDatumReader<>(writerSchema, schema, model);
            }
        };
    }

    /** The Avro primitive {@code "string"}, the schema of every Lethe key. */
    static AvroCodec<String> string() {
        final Schema schema = Schema.create(Schema.Type.STRING);
        return new AvroCodec<>() {
            @Override
            public Schema schema() {
                return schema;
            }

            @Override
            public DatumWriter<String> writer() {
                return new GenericDatumWriter<>(schema);
            }

            @Override
            public DatumReader<String> reader(Schema writerSchema) {
                return new GenericDatumReader<>(writerSchema, schema);
            }

            @Override
            public String fromDatum(Object datum) {
                return datum == null ? null : datum.toString();
            }
        };
    }
}
