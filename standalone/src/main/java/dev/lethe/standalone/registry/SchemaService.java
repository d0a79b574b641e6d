package dev.lethe.standalone.registry;

import dev.lethe.schemas.registry.Compatibility;
import dev.lethe.standalone.registry.SchemaStore.SubjectVersion;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;
import org.apache.avro.Schema;

/**
 * What the registry does, without HTTP: registers schemas (global ids, a new version only for a
 * schema new to the subject, compatible at the subject's own level, {@link #DEFAULT_LEVEL} when it
 * has none), looks them up, checks compatibility and keeps the subjects' levels. A registration
 * or a level is stored in the {@link SchemaLog} before the state changes and before the caller
 * gets an answer. Changes are serialised so ids and versions never collide.
 */
final class SchemaService {

    /** The global level, as Confluent's default. */
    static final Compatibility DEFAULT_LEVEL = Compatibility.BACKWARD;
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
        requireCompatible(subject, schema);
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

    /** Why {@code schema} is not compatible with the given version at the subject's level; empty when it is. */
    List<String> incompatibilities(String subject, String version, Schema schema) {
        return AvroSchemas.incompatibilities(level(subject), schema, version(subject, version).schema());
    }

    /** The level set on {@code subject} itself, if any. */
    Optional<Compatibility> compatibility(String subject) {
        return store.compatibility(subject);
    }

    /** Sets {@code subject}'s own level (the subject need not exist yet, as in Confluent's registry). */
    synchronized void setCompatibility(String subject, Compatibility level) {
        final ConfigRecord record = new ConfigRecord(subject, level);
        log.append(record);
        store.apply(record);
    }

    private Compatibility level(String subject) {
        return store.compatibility(subject).orElse(DEFAULT_LEVEL);
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

    /** Checks {@code schema} against the latest version, or every version at a transitive level. */
    private void requireCompatible(String subject, Schema schema) {
        final Compatibility level = level(subject);
        final List<Integer> versions = store.versions(subject);
        final List<Integer> checked = level.transitive() || versions.isEmpty()
                ? versions
                : List.of(versions.get(versions.size() - 1));
        for (int version : checked) {
            final SubjectVersion registered = store.version(subject, version).orElseThrow();
            final List<String> problems = AvroSchemas.incompatibilities(level, schema, registered.schema());
            if (!problems.isEmpty()) {
                throw RegistryException.incompatible(subject, problems + " (checked against version "
                        + version + ", compatibility " + level + ")");
            }
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
