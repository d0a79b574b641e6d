package dev.lethe.gateway;

import dev.lethe.avro.ErasureRequested;
import dev.lethe.avro.SystemCallback;
import dev.lethe.gateway.events.EventWriter;
import dev.lethe.gateway.events.WriteFailedException;
import dev.lethe.gateway.events.Written;
import dev.lethe.schemas.Topics;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An {@link EventWriter} that keeps what it is given, at offsets 0, 1, 2 ... of partition 3; or fails. */
final class RecordingEventWriter implements EventWriter {

    static final int PARTITION = 3;

    final List<ErasureRequested> requests = new CopyOnWriteArrayList<>();
    final List<SystemCallback> callbacks = new CopyOnWriteArrayList<>();
    volatile boolean failing;

    @Override
    public Written write(ErasureRequested request) {
        failIfAsked();
        requests.add(request);
        return new Written(Topics.REQUESTS, PARTITION, requests.size() - 1L);
    }

    @Override
    public Written write(SystemCallback callback) {
        failIfAsked();
        callbacks.add(callback);
        return new Written(Topics.CALLBACKS, PARTITION, callbacks.size() - 1L);
    }

    boolean wroteNothing() {
        return requests.isEmpty() && callbacks.isEmpty();
    }

    private void failIfAsked() {
        if (failing) {
            throw new WriteFailedException("broker unavailable (test)", new IllegalStateException("test"));
        }
    }
}
