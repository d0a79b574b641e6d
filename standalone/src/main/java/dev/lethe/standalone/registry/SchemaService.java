package dev.lethe.standalone.registry;

import dev.lethe.standalone.registry.SchemaStore.SubjectVersion;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;
import org.apache.avro.Schema;

/**
 * What the registry does, without HTTP: registers schemas (global ids, a new version only for a
 * schema new to the subject, BACKWARD compatibility against the latest version), looks them up,
 * and checks compatibility. A registration is stored in the {@link SchemaLog} before the state
 * changes and before the caller gets the id. Registrations are serialised so ids and versions
 * never collide.
 */
final class SchemaService {

    private static final String LATEST = "latest";
    private static final Pattern POSITIVE_NUMBER = Pattern.compile("[1-9][0-9]{0,9}");

    private final SchemaStore store;
    private final SchemaLog log;

    SchemaService(SchemaStore store, SchemaLog log) {
        this.store = store;
        this.log = log;
    }

    /** Registers {@code schema} under {@code subject}, or finds it there; returns its global id. */
    synchronized int register(String subject, Schema schema) {
        final Optional<SubjectVersion> existing = store.find(subject, schema);
        if (existing.isPresent()) {
            return existing.get().id();
        }
        store.latest(subject).ifPresent(latest -> requireCompatible(subject, schema, latest));
        final int id = store.idOf(schema).orElseGet(store::nextId);
        final int version = store.latest(subject).map(v -> v.version() + 1).orElse(1);
        final SchemaRecord record = new SchemaRecord(subject, version, id, schema.toString(), false);
        log.append(record);
        store.apply(record);
        return id;
    }

    /** The version of {@code subject} that holds {@code schema}. */
    SubjectVersion lookup(String subject, Schema schema) {
        requireSubject(subject);
        return store.find(subject, schema)
                .orElseThrow(() -> RegistryException.schemaNotFound("not registered under subject '" + subject + "'"));
    }

    /** Why {@code schema} could not read data written with the given version; empty when it can. */
    List<String> incompatibilities(String subject, String version, Schema schema) {
        return AvroSchemas.backwardIncompatibilities(schema, version(subject, version).schema());
    }

    Schema schema(int id) {
        return store.schema(id).orElseThrow(() -> RegistryException.schemaNotFound("no schema with id " + id));
    }

    List<SubjectVersion> usesOf(int id) {
        schema(id);
        return store.usesOf(id);
    }

    List<String> subjects() {
        return store.subjects();
    }

    List<Integer> versions(String subject) {
        requireSubject(subject);
        return store.versions(subject);
    }

    /** A version by number or {@code latest}. */
    SubjectVersion version(String subject, String version) {
        requireSubject(subject);
        final Optional<SubjectVersion> found = LATEST.equals(version)
                ? store.latest(subject)
                : store.version(subject, parseVersion(version));
        return found.orElseThrow(() -> RegistryException.versionNotFound(subject, version));
    }

    private void requireCompatible(String subject, Schema schema, SubjectVersion latest) {
        final List<String> problems = AvroSchemas.backwardIncompatibilities(schema, latest.schema());
        if (!problems.isEmpty()) {
            throw RegistryException.incompatible(subject, problems + " (checked against version "
                    + latest.version() + ", compatibility BACKWARD)");
        }
    }

    private void requireSubject(String subject) {
        if (store.versions(subject).isEmpty()) {
            throw RegistryException.subjectNotFound(subject);
        }
    }

    /** {@code text} as a number from 1 to {@link Integer#MAX_VALUE}, or empty if it is anything else. */
    static OptionalInt positiveInt(String text) {
        if (text == null || !POSITIVE_NUMBER.matcher(text).matches()) {
            return OptionalInt.empty();
        }
        final long value = Long.parseLong(text);
        return value <= Integer.MAX_VALUE ? OptionalInt.of((int) value) : OptionalInt.empty();
    }

    private static int parseVersion(String version) {
        return positiveInt(version).orElseThrow(() -> RegistryException.invalidVersion(version));
    }
}
