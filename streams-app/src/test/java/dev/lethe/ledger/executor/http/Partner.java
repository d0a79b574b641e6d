package dev.lethe.ledger.executor.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real local HTTP partner on a free port. It answers {@code failStatus} for the first
 * {@code failures} calls (or hangs past the caller's timeout when {@code failStatus} is 0), then
 * {@code finalStatus} with {@code finalBody}; it records every call's idempotency key and body.
 */
final class Partner implements AutoCloseable {

    record Call(String idempotencyKey, String body) {
    }

    private final HttpServer server;
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger failuresLeft;
    private final int failStatus;
    private final int finalStatus;
    private final String finalBody;
    final List<Call> calls = new CopyOnWriteArrayList<>();

    Partner(int failures, int failStatus, int finalStatus, String finalBody) throws IOException {
        this.failuresLeft = new AtomicInteger(failures);
        this.failStatus = failStatus;
        this.finalStatus = finalStatus;
        this.finalBody = finalBody;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/erase", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/erase";
    }

    private void handle(HttpExchange exchange) throws IOException {
        calls.add(new Call(exchange.getRequestHeaders().getFirst("Idempotency-Key"),
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
        if (failuresLeft.getAndDecrement() > 0) {
            if (failStatus == 0) {
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                exchange.close();
                return;
            }
            respond(exchange, failStatus, "try later");
            return;
        }
        respond(exchange, finalStatus, finalBody);
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
    }
}
