package dev.lethe.gateway;

import static dev.lethe.gateway.Fixture.ADMIN;
import static dev.lethe.gateway.Fixture.APPROVER;
import static dev.lethe.gateway.Fixture.BILLING;
import static dev.lethe.gateway.Fixture.CRM;
import static dev.lethe.gateway.Fixture.REQUEST_ID;
import static dev.lethe.gateway.Fixture.SUBMITTER;
import static dev.lethe.gateway.Fixture.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.gateway.auth.Authenticator;
import dev.lethe.gateway.http.Access;
import dev.lethe.gateway.http.Guard;
import dev.lethe.gateway.http.Route;
import dev.lethe.gateway.ops.GatewayMetrics;
import io.javalin.http.HandlerType;
import io.javalin.testtools.JavalinTest;
import io.javalin.testtools.Response;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every route of the route table × every kind of caller: no token and a wrong token are 401 on
 * every protected route, a role the route does not allow is 403, an allowed role is never
 * refused (it may still get 400/404/409 for the fake data), and a public route refuses nobody.
 */
class AuthMatrixTest {

    private static final String WRONG = "wrong-token-000000000000000";
    private static final Map<String, String> CALLERS = Map.of("none", "", "wrong", WRONG, "submitter", SUBMITTER,
            "approver", APPROVER, "partner:billing", BILLING, "partner:crm", CRM, "admin", ADMIN);

    static List<Route> routes() {
        final Fixture fixture = new Fixture();
        return GatewayRoutes.of(fixture.collaborators(), new Guard(Authenticator.none(), new SimpleMeterRegistry()),
                new GatewayMetrics(fixture.ledger, fixture.collaborators().clock()));
    }

    static Stream<Arguments> matrix() {
        final List<Arguments> cases = new ArrayList<>();
        for (final Route route : routes()) {
            for (final String caller : CALLERS.keySet()) {
                cases.add(Arguments.of(route.method(), route.path(), route.access(), caller));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} as {3}")
    @MethodSource("matrix")
    void shouldAdmitExactlyTheRolesTheRouteAllows(HandlerType method, String path, Access access, String caller) {
        final Fixture fixture = new Fixture();
        fixture.ledger.requests.put(REQUEST_ID, FakeLedgerClient.requestJson(REQUEST_ID, "billing"));
        final String token = CALLERS.get(caller).isEmpty() ? null : CALLERS.get(caller);
        final String concrete = path.replace("{id}", REQUEST_ID).replace("{system}", "billing")
                .replace("{name}", "billing").replace("{namespace}", "user_id").replace("{value}", "u-1")
                .replace("{asset}", "console.js")
                .replace("{subject_request_id}", "a7551968-d5d6-44b2-9831-815ac9017798");
        final String body = method == HandlerType.POST || method == HandlerType.PUT ? "{}" : null;
        JavalinTest.test(fixture.app(), (server, client) -> {
            final Response response = send(client, method.name(), concrete, token, body);

            final int expected = expected(access, caller);
            if (expected == 0) {
                assertFalse(response.code() == 401 || response.code() == 403,
                        () -> caller + " was refused: " + response.code());
            } else {
                assertEquals(expected, response.code());
                assertTrue(fixture.events.wroteNothing());
            }
        });
    }

    /** 401, 403, or 0 for "not refused". */
    private static int expected(Access access, String caller) {
        if (access == Access.PUBLIC) {
            return 0;
        }
        if (caller.equals("none") || caller.equals("wrong")) {
            return 401;
        }
        final boolean allowed = switch (access) {
            case ANY_ROLE -> true;
            case SUBMITTER -> caller.equals("submitter") || caller.equals("admin");
            case APPROVER -> caller.equals("approver") || caller.equals("admin");
            case ADMIN -> caller.equals("admin");
            case PARTNER -> caller.equals("partner:billing") || caller.equals("admin");
            case PUBLIC -> true;
        };
        return allowed ? 0 : 403;
    }
}
