package dev.lethe.standalone.registry;

import dev.lethe.schemas.registry.Compatibility;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/**
 * Parsing, and the compatibility rules of Confluent's levels between a candidate schema and one
 * registered version: BACKWARD (a consumer using the candidate reads data written with the
 * registered one), FORWARD (the other way round), FULL (both), NONE.
 */
final class AvroSchemas {

    private AvroSchemas() {
    }

    /** Parses a schema (a fresh parser each time: a parser remembers the names it has seen). */
    static Schema parse(String text) {
        if (text == null || text.isBlank()) {
            throw RegistryException.invalidSchema("the schema is empty");
        }
        try {
            return new Schema.Parser().parse(text);
        } catch (AvroRuntimeException e) {
            throw RegistryException.invalidSchema(e.getMessage(), e);
        } catch (NullPointerException e) {
            // Avro 1.12 reports a reference to an undefined type this way (ParseContext.resolve).
            throw RegistryException.invalidSchema("undefined type name: " + e.getMessage(), e);
        }
    }

    /** What stops {@code candidate} and {@code registered} from being compatible at {@code level}; empty when nothing. */
    static List<String> incompatibilities(Compatibility level, Schema candidate, Schema registered) {
        final List<String> problems = new ArrayList<>();
        if (level.backward()) {
            problems.addAll(backwardIncompatibilities(candidate, registered));
        }
        if (level.forward()) {
            problems.addAll(backwardIncompatibilities(registered, candidate));
        }
        return problems;
    }

    /** What stops {@code reader} from reading data written with {@code writer}; empty when it can. */
    static List<String> backwardIncompatibilities(Schema reader, Schema writer) {
        final SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        return result.getResult().getIncompatibilities().stream()
                .map(AvroSchemas::describe)
                .toList();
    }

    private static String describe(Incompatibility incompatibility) {
        return "{type:" + incompatibility.getType() + ", location:" + incompatibility.getLocation()
                + ", message:" + incompatibility.getMessage() + "}";
    }
}
