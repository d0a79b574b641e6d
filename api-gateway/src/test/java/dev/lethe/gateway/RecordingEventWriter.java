package dev.lethe.gateway;

import dev.lethe.avro.Decision;
import dev.lethe.avro.ErasureRequested;
import dev.lethe.avro.SystemCallback;
import dev.lethe.avro.SystemRegistration;
import dev.lethe.gateway.events.EventWriter;
import dev.lethe.gateway.events.WriteFailedException;
import dev.lethe.gateway.events.WriteOutcome;
import dev.lethe.gateway.events.Written;
import dev.lethe.schemas.Topics;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/** An {@link EventWriter} that keeps what it is given, at offsets 0, 1, 2 ... of partition 3 (systems: 0); or fails. */
final class RecordingEventWriter implements EventWriter {

    static final int PARTITION = 3;

    final List<ErasureRequested> requests = new CopyOnWriteArrayList<>();
    final List<SystemCallback> callbacks = new CopyOnWriteArrayList<>();
    final List<Decision> decisions = new CopyOnWriteArrayList<>();
    final List<SystemRegistration> registrations = new CopyOnWriteArrayList<>();
    final List<String> retired = new CopyOnWriteArrayList<>();
    /** Called with each system write (name, registration or null for a tombstone), e.g. to make a fake ledger see it. */
    volatile BiConsumer<String, SystemRegistration> onSystem = (name, registration) -> { };
    volatile boolean failing;

    @Override
    public Written write(ErasureRequested request) {
        failIfAsked();
        requests.add(request);
        return new Written(Topics.REQUESTS, PARTITION, requests.size() - 1L);
    }

    /** The size of every {@link #writeAll} call, in order. */
    final List<Integer> batches = new CopyOnWriteArrayList<>();

    @Override
    public List<WriteOutcome> writeAll(List<ErasureRequested> many) {
        batches.add(many.size());
        return EventWriter.super.writeAll(many);
    }

    @Override
    public Written write(SystemCallback callback) {
        failIfAsked();
        callbacks.add(callback);
        return new Written(Topics.CALLBACKS, PARTITION, callbacks.size() - 1L);
    }

    @Override
    public Written write(Decision decision) {
        failIfAsked();
        decisions.add(decision);
        return new Written(Topics.DECISIONS, PARTITION, decisions.size() - 1L);
    }

    @Override
    public Written write(SystemRegistration system) {
        failIfAsked();
        registrations.add(system);
        onSystem.accept(system.getName(), system);
        return new Written(Topics.SYSTEMS, 0, registrations.size() - 1L);
    }

    @Override
    public Written retire(String name) {
        failIfAsked();
        retired.add(name);
        onSystem.accept(name, null);
        return new Written(Topics.SYSTEMS, 0, retired.size() - 1L);
    }

    boolean wroteNothing() {
        return requests.isEmpty() && callbacks.isEmpty() && decisions.isEmpty() && registrations.isEmpty()
                && retired.isEmpty();
    }

    private void failIfAsked() {
        if (failing) {
            throw new WriteFailedException("broker unavailable (test)", new IllegalStateException("test"));
        }
    }
}
