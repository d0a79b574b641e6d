package dev.lethe.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lethe.avro.Decision;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.api.Test;

/**
 * {@code Replayed} and {@code Covered} (issue 15) were added at the end of {@code Decision}'s
 * action union: the current schema reads every decision written before them (BACKWARD, what the
 * registry enforces), and their branch indexes leave the earlier branches' where they were.
 */
class DecisionEvolutionTest {

    @Test
    void shouldReadDecisionsWrittenBeforeReplayedAndCoveredExisted() {
        final Schema current = Decision.getClassSchema();
        final List<Schema> actions = current.getField("action").schema().getTypes();
        assertEquals(List.of("Replayed", "Covered"), actions.subList(actions.size() - 2, actions.size()).stream()
                .map(Schema::getName).toList());
        final Schema before = new Schema.Parser().parse(current.toString()
                .replaceAll(",\\{\"type\":\"record\",\"name\":\"Replayed\".*?\\]\\},\\{\"type\":\"record\",\"name\":"
                        + "\"Covered\".*?\\]\\}\\]", "]"));
        assertEquals(actions.size() - 2, before.getField("action").schema().getTypes().size());

        assertEquals(SchemaCompatibilityType.COMPATIBLE,
                SchemaCompatibility.checkReaderWriterCompatibility(current, before).getType());
    }
}
