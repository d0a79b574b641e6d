package dev.lethe.ledger.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.avro.HttpSettings;
import dev.lethe.avro.S3Settings;
import dev.lethe.avro.SystemMode;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegistrationCheckTest {

    @Test
    void shouldAcceptACompleteRegistration() {
        assertTrue(RegistrationCheck.problems("billing", LedgerDriver.registration("billing", "user_id").build())
                .isEmpty());
        assertTrue(RegistrationCheck.problems("media", LedgerDriver.registration("media", "user_id")
                .setMode(SystemMode.S3).setS3(S3Settings.newBuilder().setBuckets(List.of("media-prod")).build())
                .build()).isEmpty());
        assertTrue(RegistrationCheck.problems("api", LedgerDriver.registration("api", "user_id")
                .setMode(SystemMode.HTTP).setHttp(HttpSettings.newBuilder().setUrl("https://api.example.com/erase")
                        .build()).build()).isEmpty());
    }

    @Test
    void shouldSayWhatIsWrong() {
        assertEquals(List.of("key other is not the registration's name billing",
                        "namespaces must list at least one identifier namespace, none blank",
                        "mode s3 needs s3 settings", "slaDays must be at least 1",
                        "reminderHours must not be negative", "maxAttempts must be at least 1"),
                RegistrationCheck.problems("other", LedgerDriver.registration("billing").setMode(SystemMode.S3)
                        .setSlaDays(0).setReminderHours(-1).setMaxAttempts(0).build()));
        assertEquals(List.of("mode http needs http settings"), RegistrationCheck.problems("api",
                LedgerDriver.registration("api", "user_id").setMode(SystemMode.HTTP).build()));
    }

    @Test
    void shouldRefuseASqlRegistrationWithoutSqlSettings() {
        assertEquals(List.of("mode sql needs sql settings"), RegistrationCheck.problems("app",
                LedgerDriver.registration("app", "user_id").setMode(SystemMode.SQL).build()));
    }
}
