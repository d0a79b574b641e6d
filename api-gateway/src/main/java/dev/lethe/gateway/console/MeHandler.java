package dev.lethe.gateway.console;

import dev.lethe.gateway.api.ApiOptional;
import dev.lethe.gateway.auth.Role;
import dev.lethe.gateway.erasure.Vocabulary;
import dev.lethe.gateway.http.Access;
import dev.lethe.gateway.http.RoleHandler;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /v1/me} (any role): the caller's role, what it may do, and the namespaces and
 * jurisdictions it may name, so that a client (the console) shows only the actions the API will
 * accept. The API still checks every call; this only describes the checks.
 */
public final class MeHandler implements RoleHandler {

    /** What a role may do, in the words of {@link #may}. */
    public enum Capability {
        /** File requests ({@code POST /v1/erasures}). */
        submit,
        /** Look a subject up ({@code GET /v1/subjects/...}). */
        lookup,
        /** Approve, reject, cancel, extend, retry, acknowledge. */
        decide,
        /** Complete a system whose mode is {@code manual}. */
        complete_manual,
        /** Report outcomes for its own system ({@link Me#system}). */
        report,
        /** Register, change and retire systems. */
        manage_systems
    }

    private final Vocabulary vocabulary;

    /**
     * The answer.
     *
     * @param role          the role's text form ({@code approver}, {@code partner:billing}, ...)
     * @param may           what it may do besides reading
     * @param system        the partner's system; null for other roles
     * @param namespaces    the identifier namespaces a request or look-up may name
     * @param jurisdictions the jurisdictions a request may name
     */
    public record Me(String role, List<String> may, @ApiOptional String system, List<String> namespaces,
                     List<String> jurisdictions) {
    }

    public MeHandler(Vocabulary vocabulary) {
        this.vocabulary = vocabulary;
    }

    @Override
    public void handle(Context ctx, Role role) {
        ctx.json(new Me(role.name(), may(role), role.system(), vocabulary.namespaces(), vocabulary.jurisdictions()));
    }

    /** What {@code role} may do, as the route table's access checks decide it. */
    static List<String> may(Role role) {
        final List<String> may = new ArrayList<>();
        if (Access.SUBMITTER.allows(role)) {
            may.add(Capability.submit.name());
            may.add(Capability.lookup.name());
        }
        if (Access.APPROVER.allows(role)) {
            may.add(Capability.decide.name());
            may.add(Capability.complete_manual.name());
        }
        if (role.kind() == Role.Kind.PARTNER) {
            may.add(Capability.report.name());
        }
        if (Access.ADMIN.allows(role)) {
            may.add(Capability.manage_systems.name());
        }
        return List.copyOf(may);
    }
}
