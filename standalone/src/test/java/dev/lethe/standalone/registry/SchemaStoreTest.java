package dev.lethe.standalone.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class SchemaStoreTest {

    private static final Schema STRING = Schema.create(Schema.Type.STRING);
    private static final Schema LONG = Schema.create(Schema.Type.LONG);

    @Test
    void shouldFoldTheTopicIntoGlobalIdsAndOrderedVersions() {
        final SchemaStore store = new SchemaStore();

        store.apply(new SchemaRecord("a-key", 1, 1, STRING.toString(), false));
        store.apply(new SchemaRecord("b-key", 1, 1, STRING.toString(), false));
        store.apply(new SchemaRecord("a-key", 2, 2, LONG.toString(), false));

        assertEquals(List.of("a-key", "b-key"), store.subjects());
        assertEquals(List.of(1, 2), store.versions("a-key"));
        assertEquals(Optional.of(1), store.idOf(STRING));
        assertEquals(3, store.nextId());
        assertEquals(2, store.latest("a-key").orElseThrow().version());
        assertEquals(1, store.find("b-key", STRING).orElseThrow().version());
        assertEquals(2, store.usesOf(1).size());
    }

    @Test
    void shouldForgetADeletedVersionButKeepItsIdReadable() {
        final SchemaStore store = new SchemaStore();
        store.apply(new SchemaRecord("a-key", 1, 1, STRING.toString(), false));

        store.apply(SchemaRecord.parse(new SchemaRecord("a-key", 1, 1, null, false).key(), null).orElseThrow());

        assertTrue(store.subjects().isEmpty());
        assertEquals(Optional.of(STRING), store.schema(1));
        assertEquals(2, store.nextId());
    }

    @Test
    void shouldReadBackWhatItWritesAndSkipOtherKeyTypes() {
        final SchemaRecord record = new SchemaRecord("a-value", 3, 7, STRING.toString(), false);

        assertEquals(Optional.of(record), SchemaRecord.parse(record.key(), record.value()));
        assertEquals(Optional.empty(), SchemaRecord.parse("{\"keytype\":\"NOOP\",\"magic\":0}", null));
    }
}
