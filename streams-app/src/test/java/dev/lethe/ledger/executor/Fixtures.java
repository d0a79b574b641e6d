package dev.lethe.ledger.executor;

import dev.lethe.avro.ErasureEvent;
import dev.lethe.avro.HttpSettings;
import dev.lethe.avro.Identifier;
import dev.lethe.avro.ProcessingWindow;
import dev.lethe.avro.S3Settings;
import dev.lethe.avro.SqlAction;
import dev.lethe.avro.SqlMatch;
import dev.lethe.avro.SqlSettings;
import dev.lethe.avro.SqlTableRule;
import dev.lethe.avro.SystemMode;
import dev.lethe.avro.SystemRegistration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Builders for events and registrations used by the executor tests. */
public final class Fixtures {

    public static final Instant DEADLINE = Instant.parse("2026-12-31T00:00:00Z");

    private Fixtures() {
    }

    public static ErasureEvent event(String requestId, String userId, List<String> objects, String... systems) {
        return ErasureEvent.newBuilder()
                .setEventId("evt-" + requestId)
                .setRequestId(requestId)
                .setSubjectKey("sk-" + requestId)
                .setSystems(List.of(systems))
                .setSubject(new Identifier("user_id", userId))
                .setIdentifiers(List.of(new Identifier("user_id", userId), new Identifier("email", userId + "@example.com")))
                .setObjects(objects)
                .setJurisdiction("EU")
                .setDeadline(DEADLINE)
                .setIssuedAt(Instant.parse("2026-11-01T00:00:00Z"))
                .build();
    }

    public static SystemRegistration s3System(String name, List<String> buckets, List<String> prefixes,
                                              Map<String, String> cdn, boolean allVersions, ProcessingWindow window) {
        return base(name, SystemMode.S3)
                .setS3(new S3Settings(buckets, prefixes, cdn, 100_000, allVersions, window))
                .build();
    }

    public static SystemRegistration httpSystem(String name, String url, int timeoutMs, int maxAttempts) {
        return base(name, SystemMode.HTTP).setHttp(new HttpSettings(url, timeoutMs, maxAttempts)).build();
    }

    public static SystemRegistration sqlSystem(String name, ProcessingWindow window) {
        return base(name, SystemMode.SQL)
                .setSql(new SqlSettings("jdbc:postgresql://db.invalid/app", "app-db", 500, 2000, window, null,
                        List.of(new SqlTableRule("orders", "id", new SqlMatch("user_id", "user_id"), null,
                                SqlAction.DELETE, List.of(), List.of(), List.of()))))
                .build();
    }

    private static SystemRegistration.Builder base(String name, SystemMode mode) {
        return SystemRegistration.newBuilder()
                .setName(name).setOwner("team").setContact("team@example.com").setMode(mode)
                .setNamespaces(List.of("user_id"));
    }
}
