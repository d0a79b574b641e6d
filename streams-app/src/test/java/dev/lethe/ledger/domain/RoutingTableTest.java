package dev.lethe.ledger.domain;

import static dev.lethe.ledger.domain.LedgerFixtures.request;
import static dev.lethe.ledger.domain.LedgerFixtures.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lethe.ledger.domain.LedgerOutput.Audit;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Routing as a table: identifier namespaces × jurisdictions × the request's scope → target systems. */
class RoutingTableTest {

    private static final List<SystemInfo> REGISTRY = List.of(
            new SystemInfo("billing", Set.of("user_id", "email"), Set.of()),
            new SystemInfo("crm", Set.of("email", "phone"), Set.of("GDPR", "CCPA")),
            new SystemInfo("kr-shop", Set.of("user_id"), Set.of("PIPA")),
            new SystemInfo("ads", Set.of("device_id"), Set.of()));

    @ParameterizedTest(name = "{0} under {1}, only [{2}], exclude [{3}] -> [{4}]")
    @CsvSource(delimiter = ';', nullValues = "-", value = {
        "user_id email;           GDPR; -;           -;       billing crm",
        "user_id;                 PIPA; -;           -;       billing kr-shop",
        "user_id;                 GDPR; -;           -;       billing",
        "phone;                   CCPA; -;           -;       crm",
        "phone;                   PIPA; -;           -;       -",
        "device_id;               GDPR; -;           -;       ads",
        "user_id email;           GDPR; crm;         -;       crm",
        "user_id email;           GDPR; -;           crm;     billing",
        "user_id email;           GDPR; crm kr-shop; -;       crm",
        "user_id email device_id; CCPA; -;           billing; ads crm",
        "user_id email;           GDPR; ads;         -;       -",
    })
    void shouldRouteToSystemsHoldingANamespaceUnderTheJurisdictionWithinScope(String namespaces, String jurisdiction,
                                                                             String only, String exclude,
                                                                             String expected) {
        final List<Identifier> ids = Arrays.stream(namespaces.split(" "))
                .map(ns -> new Identifier(ns, "value-of-" + ns)).toList();
        final LedgerFixtures.RequestBuilder builder = request().subject(ids.get(0))
                .identifiers(ids.subList(1, ids.size()).toArray(Identifier[]::new)).jurisdiction(jurisdiction);
        if (only != null) {
            builder.only(only.split(" "));
        }
        if (exclude != null) {
            builder.exclude(exclude.split(" "));
        }

        final LedgerFixtures.Run run = run(new LedgerContext(LedgerFixtures.NOW, REGISTRY, LedgerPolicy.defaults()))
                .apply(builder.received());

        final List<String> targets = run.state().systems().stream().map(SystemTarget::name).toList();
        assertEquals(expected == null ? List.of() : List.of(expected.split(" ")), targets);
        // each chosen system is audited with the reason it was chosen
        final List<Audit> dispatched = run.all(Audit.class).stream().filter(a -> a.type().equals("DISPATCHED")).toList();
        assertEquals(targets, dispatched.stream().map(Audit::system).toList());
        dispatched.forEach(a -> assertEquals(true, a.detail().startsWith("holds namespaces "), a.detail()));
    }
}
