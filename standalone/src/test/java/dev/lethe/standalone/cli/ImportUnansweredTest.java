package dev.lethe.standalone.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lethe import} against a gateway that cannot take some rows now (503 for each try): the
 * run says to run it again, and the run again sends those rows, never skipping them as done.
 */
class ImportUnansweredTest {

    @TempDir
    Path dir;

    /** The subjects the gateway keeps answering 503 for. */
    private final AtomicReference<Set<String>> busy = new AtomicReference<>(Set.of());
    /** Every subject value the gateway received, in order. */
    private final List<String> received = new CopyOnWriteArrayList<>();
    private HttpServer gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.stop(0);
        }
    }

    @Test
    void shouldSendTheRowsLetheCouldNotTakeAgainWhenRunAgain() throws Exception {
        start();
        final Path csv = Files.writeString(dir.resolve("withdrawn.csv"), "user_id\nu-1\nu-2\nu-3\n");
        busy.set(Set.of("u-2"));

        final int first = run(csv);

        assertEquals(LetheCommand.FAILED, first, "u-2 was not taken");
        assertTrue(received.containsAll(List.of("u-1", "u-2", "u-3")), received.toString());
        received.clear();
        busy.set(Set.of());

        final int again = run(csv);

        assertEquals(0, again);
        assertTrue(received.contains("u-2"), "the row Lethe could not take is sent again: " + received);
        assertTrue(!Files.exists(dir.resolve("withdrawn.csv.progress")), "every row answered: no progress file left");
    }

    private int run(Path csv) {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        return LetheCommand.run(new String[] {"import", csv.toString(), "--jurisdiction", "GDPR", "--reason",
            "account_deleted", "--source", "test", "--batch-size", "1", "--retry-pause-ms", "1"},
                Map.of("LETHE_URL", "http://127.0.0.1:" + gateway.getAddress().getPort(), "LETHE_TOKEN", "t"),
                new PrintWriter(out), new PrintWriter(err));
    }

    private void start() throws IOException {
        gateway = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        gateway.createContext("/v1/erasures/batch", exchange -> {
            final JsonNode body = Api.JSON.readTree(exchange.getRequestBody());
            final ObjectNode answer = Api.JSON.createObjectNode();
            final ArrayNode results = answer.putArray("results");
            for (JsonNode item : body.path("requests")) {
                final String subject = item.path("subject").path("value").asText();
                received.add(subject);
                final ObjectNode result = results.addObject();
                if (busy.get().contains(subject)) {
                    result.put("code", 503).put("error", "unavailable").put("message", "try again");
                } else {
                    result.put("code", 202).put("id", UUID.randomUUID().toString()).put("status", "RECEIVED");
                }
            }
            final byte[] bytes = answer.toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        gateway.start();
    }
}
