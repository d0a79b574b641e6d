package dev.lethe.ledger.topology;

import dev.lethe.avro.SystemMode;
import dev.lethe.avro.SystemRegistration;
import java.util.ArrayList;
import java.util.List;

/**
 * The ledger's own basic checks of a system registration read from {@code erasure.systems}
 * (the gateway validates fully before it writes): a registration that fails them would route
 * or chase wrongly, so it is not stored.
 */
final class RegistrationCheck {

    private RegistrationCheck() {
    }

    /** What is wrong with {@code registration} stored under {@code key}; empty when it may be used. */
    static List<String> problems(String key, SystemRegistration registration) {
        final List<String> problems = new ArrayList<>();
        if (!key.equals(registration.getName())) {
            problems.add("key " + key + " is not the registration's name " + registration.getName());
        }
        if (registration.getNamespaces().isEmpty()
                || registration.getNamespaces().stream().anyMatch(n -> n == null || n.isBlank())) {
            problems.add("namespaces must list at least one identifier namespace, none blank");
        }
        if (registration.getMode() == SystemMode.S3 && registration.getS3() == null) {
            problems.add("mode s3 needs s3 settings");
        }
        if (registration.getMode() == SystemMode.HTTP && registration.getHttp() == null) {
            problems.add("mode http needs http settings");
        }
        if (registration.getMode() == SystemMode.OPENDSR && registration.getOpendsr() == null) {
            problems.add("mode opendsr needs opendsr settings");
        }
        if (registration.getMode() == SystemMode.SQL && registration.getSql() == null) {
            problems.add("mode sql needs sql settings");
        }
        if (registration.getSlaDays() < 1) {
            problems.add("slaDays must be at least 1");
        }
        if (registration.getReminderHours() < 0) {
            problems.add("reminderHours must not be negative");
        }
        if (registration.getMaxAttempts() < 1) {
            problems.add("maxAttempts must be at least 1");
        }
        return problems;
    }
}
