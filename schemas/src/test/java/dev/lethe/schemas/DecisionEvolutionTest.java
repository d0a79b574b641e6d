package dev.lethe.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lethe.avro.Decision;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.api.Test;

/**
 * {@code Replayed} and {@code Covered} (issue 15), then {@code CallbackRefused} (issue 16), were
 * added at the end of {@code Decision}'s action union: the current schema reads every decision
 * written before them (BACKWARD, what the registry enforces), and their branch indexes leave the
 * earlier branches' where they were.
 */
class DecisionEvolutionTest {

    /** {@code current} without the last {@code n} branches of its action union. */
    private static Schema without(Schema current, int n) {
        final List<Schema> actions = current.getField("action").schema().getTypes();
        final List<Schema.Field> fields = current.getFields().stream()
                .map(f -> new Schema.Field(f.name(), f.name().equals("action")
                        ? Schema.createUnion(actions.subList(0, actions.size() - n)) : f.schema(), f.doc(),
                        f.defaultVal()))
                .toList();
        return Schema.createRecord(current.getName(), current.getDoc(), current.getNamespace(), false, fields);
    }

    @Test
    void shouldReadDecisionsWrittenBeforeReplayedCoveredAndCallbackRefusedExisted() {
        final Schema current = Decision.getClassSchema();
        final List<Schema> actions = current.getField("action").schema().getTypes();
        assertEquals(List.of("Replayed", "Covered", "CallbackRefused"),
                actions.subList(actions.size() - 3, actions.size()).stream().map(Schema::getName).toList());

        for (int n : new int[] {1, 3}) {
            final Schema before = without(current, n);
            assertEquals(actions.size() - n, before.getField("action").schema().getTypes().size());
            assertEquals(SchemaCompatibilityType.COMPATIBLE,
                    SchemaCompatibility.checkReaderWriterCompatibility(current, before).getType());
        }
    }
}
