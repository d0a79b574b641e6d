package dev.lethe.gateway.erasure;

import dev.lethe.avro.ErasureRequested;
import dev.lethe.avro.Identifier;
import dev.lethe.avro.Scope;
import dev.lethe.gateway.auth.Role;
import dev.lethe.gateway.erasure.ErasureRequestBody.IdentifierBody;
import dev.lethe.gateway.erasure.ErasureRequestBody.ScopeBody;
import dev.lethe.gateway.http.ApiException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

/**
 * Turns a request body into an {@link ErasureRequested}, or refuses it with a 400 naming the
 * field: required strings present and non-blank, identifier values without control characters,
 * namespaces and jurisdictions from the {@link Vocabulary}, scoped systems registered, object
 * references in a shape the S3 executor reads ({@link ObjectReferences}), lists and numbers within
 * their limits.
 * The registry is asked only when the body names systems.
 */
final class IntakeValidator {

    static final int VALUE_MAX = 1024;
    static final int TEXT_MAX = 256;
    static final int IDENTIFIERS_MAX = 100;
    static final int SCOPE_MAX = 1000;
    static final int OBJECTS_MAX = 10_000;
    static final int OBJECT_MAX = 2048;
    static final int GRACE_DAYS_MAX = 365;

    private final Vocabulary vocabulary;
    private final Supplier<Collection<String>> registeredSystems;

    IntakeValidator(Vocabulary vocabulary, Supplier<Collection<String>> registeredSystems) {
        this.vocabulary = vocabulary;
        this.registeredSystems = registeredSystems;
    }

    /** The event to write for {@code body}, filed as {@code requestId} at {@code now} by {@code role}. */
    ErasureRequested validated(ErasureRequestBody body, String requestId, Instant now, Role role) {
        final Identifier subject = identifier(Fields.present(body.subject(), "subject"), "subject");
        final List<Identifier> identifiers = identifiers(body.identifiers());
        final String jurisdiction = Fields.oneOf(body.jurisdiction(), "jurisdiction", vocabulary.jurisdictions(),
                "unknown_jurisdiction");
        final String reason = Fields.text(body.reason(), "reason", TEXT_MAX);
        final String source = Fields.text(body.source(), "source", TEXT_MAX);
        final Scope scope = scope(body.scope());
        final List<String> objects = objects(body.objects());
        final int graceDays = body.graceDays() == null ? 0
                : (int) Fields.range(body.graceDays(), "graceDays", 0, GRACE_DAYS_MAX);
        return new ErasureRequested(requestId, subject, identifiers, jurisdiction, reason, source, scope, objects,
                graceDays, now, role.name(), null, null, null);
    }

    private Identifier identifier(IdentifierBody body, String field) {
        final String namespace = Fields.oneOf(body.namespace(), field + ".namespace", vocabulary.namespaces(),
                "unknown_namespace");
        final String value = Fields.value(body.value(), field + ".value", VALUE_MAX);
        return new Identifier(namespace, value);
    }

    private List<Identifier> identifiers(List<IdentifierBody> bodies) {
        final List<IdentifierBody> checked = Fields.list(bodies, "identifiers", IDENTIFIERS_MAX);
        final List<Identifier> identifiers = new ArrayList<>(checked.size());
        for (int i = 0; i < checked.size(); i++) {
            identifiers.add(identifier(checked.get(i), "identifiers[" + i + "]"));
        }
        return identifiers;
    }

    private Scope scope(ScopeBody body) {
        if (body == null) {
            return null;
        }
        final List<String> systems = Fields.list(body.systems(), "scope.systems", SCOPE_MAX);
        final List<String> exclude = Fields.list(body.exclude(), "scope.exclude", SCOPE_MAX);
        if (!systems.isEmpty() || !exclude.isEmpty()) {
            final Collection<String> registered = registeredSystems.get();
            requireRegistered(systems, "scope.systems", registered);
            requireRegistered(exclude, "scope.exclude", registered);
        }
        return new Scope(List.copyOf(systems), List.copyOf(exclude));
    }

    private static void requireRegistered(List<String> names, String field, Collection<String> registered) {
        for (int i = 0; i < names.size(); i++) {
            if (!registered.contains(names.get(i))) {
                final String path = field + "[" + i + "]";
                throw ApiException.badRequest("unknown_system", path + " names no registered system", path);
            }
        }
    }

    private static List<String> objects(List<String> bodies) {
        final List<String> objects = Fields.list(bodies, "objects", OBJECTS_MAX);
        for (int i = 0; i < objects.size(); i++) {
            final String field = "objects[" + i + "]";
            final String problem = ObjectReferences.problem(Fields.text(objects.get(i), field, OBJECT_MAX));
            if (problem != null) {
                throw Fields.invalid(field, field + " " + problem);
            }
        }
        return List.copyOf(objects);
    }
}
