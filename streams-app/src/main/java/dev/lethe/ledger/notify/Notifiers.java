package dev.lethe.ledger.notify;

import dev.lethe.schemas.LetheSerdes;
import java.util.Optional;

/**
 * Whoever watches {@code erasure.notifications}, each in its own consumer group: the notification
 * webhook ({@link WebhookNotifier}, when {@code LETHE_NOTIFY_URL} is set) and the OpenDSR status
 * callbacks to portals ({@link PortalCallbacks}, when {@code LETHE_OPENDSR_PORTAL_HOSTS} is set).
 */
public final class Notifiers implements AutoCloseable {

    private final WebhookNotifier webhook;
    private final PortalCallbacks portals;

    private Notifiers(WebhookNotifier webhook, PortalCallbacks portals) {
        this.webhook = webhook;
        this.portals = portals;
    }

    /** Starts those that are configured; null when none is. */
    public static Notifiers start(String bootstrapServers, String applicationId, LetheSerdes serdes,
                                  Optional<NotifierConfig> webhook, Optional<PortalCallbackConfig> portals) {
        if (webhook.isEmpty() && portals.isEmpty()) {
            return null;
        }
        final WebhookNotifier notifier = webhook.map(settings -> WebhookNotifier.start(bootstrapServers,
                applicationId, serdes, settings)).orElse(null);
        final PortalCallbacks callbacks;
        try {
            callbacks = portals.map(settings -> PortalCallbacks.start(bootstrapServers, applicationId, serdes,
                    settings)).orElse(null);
        } catch (RuntimeException e) {
            if (notifier != null) {
                notifier.close();
            }
            throw e;
        }
        return new Notifiers(notifier, callbacks);
    }

    @Override
    public void close() {
        if (portals != null) {
            portals.close();
        }
        if (webhook != null) {
            webhook.close();
        }
    }
}
