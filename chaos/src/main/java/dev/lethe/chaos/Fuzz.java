package dev.lethe.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.RandomGenerator;
import net.jqwik.api.sessions.JqwikSession;

/**
 * The HTTP fuzz: inputs generated from the gateway's own {@code /openapi.json} — every operation,
 * its path and query parameters and its request body's schema — with jqwik's generators
 * (strings of any Unicode, edge-case numbers, JSON of the wrong type, missing and unknown fields,
 * bodies that are not JSON or are too large), sent with no token, a wrong token and each role's
 * valid token. Path ids are either random or one of a few requests made for the fuzz (never a
 * request of the steady load, whose final state is checked). It remembers which writes were
 * answered 2xx, and on which request ids, so the check can tell that nothing else was written.
 */
public final class Fuzz {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Set<String> WRITES = Set.of("post", "put", "delete");

    private record Operation(String method, String path, JsonNode operation) {
    }

    private final Api api;
    private final JsonNode document;
    private final List<Operation> operations = new ArrayList<>();
    private final List<String> tokens;
    private final List<String> targets;
    private static final int GEN_SIZE = 1_000;
    // jqwik's generators, made inside the fuzz thread's JqwikSession (they are not for other threads)
    private RandomGenerator<String> anyString;
    private RandomGenerator<String> asciiString;
    /** Header values: what an HTTP client can send at all (visible ASCII). */
    private RandomGenerator<String> headerString;
    private RandomGenerator<Long> anyLong;
    private final Set<String> writtenIds = ConcurrentHashMap.newKeySet();
    private final AtomicLong inputs = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong systemWrites = new AtomicLong();

    /** {@code tokens}: the valid tokens of every role; {@code targets}: request ids the fuzz may act on. */
    public Fuzz(Api api, List<String> tokens, List<String> targets) {
        this.api = api;
        this.tokens = tokens;
        this.targets = targets;
        this.document = api.get("/openapi.json", null).json();
        final Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields();
        while (paths.hasNext()) {
            final Map.Entry<String, JsonNode> path = paths.next();
            path.getValue().fields().forEachRemaining(op -> operations.add(new Operation(op.getKey(), path.getKey(), op.getValue())));
        }
        if (operations.isEmpty()) {
            throw new IllegalStateException("/openapi.json lists no operations");
        }
    }

    public int operations() {
        return operations.size();
    }

    /**
     * Sends {@code count} generated inputs, in this thread, inside a {@link JqwikSession} (jqwik's
     * way to use its generators outside a property), drawing with a {@link Random} seeded {@code seed}.
     */
    /** Sends {@code count} inputs; throws when they take longer than {@code limit} (the gateway stopped answering). */
    public void run(int count, long seed, java.time.Duration limit) {
        final long deadline = System.nanoTime() + limit.toNanos();
        JqwikSession.start();
        try {
            anyString = Arbitraries.strings().all().ofMaxLength(40).generator(GEN_SIZE, true);
            asciiString = Arbitraries.strings().ascii().ofMaxLength(24).generator(GEN_SIZE, true);
            headerString = Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(60)
                    .generator(GEN_SIZE, true);
            anyLong = Arbitraries.longs().generator(GEN_SIZE, true);
            final Random random = new Random(seed);
            for (int i = 0; i < count; i++) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the fuzz sent only " + i + " of " + count + " inputs within " + limit);
                }
                one(random);
            }
        } finally {
            JqwikSession.finish();
        }
    }

    private void one(Random random) {
        final Operation op = operations.get(random.nextInt(operations.size()));
        final String token = switch (random.nextInt(8)) {
            case 0 -> null;
            case 1 -> "wrong-" + draw(headerString, random);
            default -> tokens.get(random.nextInt(tokens.size()));
        };
        final Map<String, String> pathValues = new java.util.HashMap<>();
        String path = op.path();
        for (JsonNode parameter : parameters(op, "path")) {
            final String name = parameter.path("name").asText();
            final String value = pathValue(name, random);
            pathValues.put(name, value);
            path = path.replace("{" + name + "}", URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        final StringBuilder query = new StringBuilder();
        for (JsonNode parameter : parameters(op, "query")) {
            if (random.nextInt(3) == 0) {
                query.append(query.isEmpty() ? "?" : "&").append(parameter.path("name").asText()).append('=')
                        .append(URLEncoder.encode(text(value(parameter.path("schema"), random, 0)), StandardCharsets.UTF_8));
            }
        }
        final String body = WRITES.contains(op.method()) ? body(op, random) : null;
        final String key = random.nextInt(4) == 0 ? draw(headerString, random) : null;
        inputs.incrementAndGet();
        final Api.Answer answer = api.send(op.method().toUpperCase(), path + query, token, body,
                key == null || key.isEmpty() ? null : key);
        if (answer.ok() && WRITES.contains(op.method())) {
            accepted.incrementAndGet();
            if (op.path().startsWith("/v1/systems")) {
                systemWrites.incrementAndGet();
            }
            if (pathValues.containsKey("id")) {
                writtenIds.add(pathValues.get("id"));
            }
            final String id = answer.json().path("id").asText(null);
            if (id != null) {
                writtenIds.add(id);
            }
        }
    }

    private String pathValue(String name, Random random) {
        final int draw = random.nextInt(10);
        if ("id".equals(name) && draw < 6) {
            return targets.get(random.nextInt(targets.size()));
        }
        if ("id".equals(name) && draw < 8) {
            return java.util.UUID.randomUUID().toString();
        }
        if ("system".equals(name) && draw < 6) {
            return ChaosCluster.PARTNER_SYSTEMS.get(random.nextInt(ChaosCluster.PARTNER_SYSTEMS.size()));
        }
        final String value = draw == 9 ? draw(asciiString, random) : draw(anyString, random);
        return value.isEmpty() ? "x" : value;
    }

    private List<JsonNode> parameters(Operation op, String in) {
        final List<JsonNode> found = new ArrayList<>();
        op.operation().path("parameters").forEach(p -> {
            final JsonNode resolved = resolve(p);
            if (in.equals(resolved.path("in").asText())) {
                found.add(resolved);
            }
        });
        return found;
    }

    private String body(Operation op, Random random) {
        final int draw = random.nextInt(20);
        if (draw == 0) {
            return draw(anyString, random);
        }
        if (draw == 1) {
            return "{\"a\": \"" + "x".repeat(70_000) + "\"}";
        }
        if (draw == 2) {
            return "";
        }
        final JsonNode schema = op.operation().path("requestBody").path("content").path("application/json").path("schema");
        return value(schema, random, 0).toString();
    }

    /** A value for {@code schema}: mostly of the right shape, sometimes wrong, missing or extra. */
    private JsonNode value(JsonNode schema, Random random, int depth) {
        final JsonNode s = resolve(schema);
        if (depth > 4 || random.nextInt(12) == 0) {
            return wrong(random);
        }
        if (s.has("enum") && random.nextInt(5) > 0) {
            return s.path("enum").get(random.nextInt(s.path("enum").size()));
        }
        if (s.has("oneOf") || s.has("anyOf") || s.has("allOf")) {
            final JsonNode options = s.has("oneOf") ? s.path("oneOf") : s.has("anyOf") ? s.path("anyOf") : s.path("allOf");
            return options.isEmpty() ? wrong(random) : value(options.get(random.nextInt(options.size())), random, depth + 1);
        }
        switch (s.path("type").asText("object")) {
            case "string":
                return NODES.textNode(s.path("format").asText().equals("date-time") && random.nextBoolean()
                        ? java.time.Instant.ofEpochSecond(random.nextInt(Integer.MAX_VALUE)).toString() : draw(anyString, random));
            case "integer":
                return random.nextBoolean() ? NODES.numberNode(random.nextInt(400) - 20) : NODES.numberNode(draw(anyLong, random));
            case "number":
                return NODES.numberNode(random.nextDouble() * 1e6);
            case "boolean":
                return NODES.booleanNode(random.nextBoolean());
            case "array": {
                final ArrayNode array = NODES.arrayNode();
                final int size = random.nextInt(4);
                for (int i = 0; i < size; i++) {
                    array.add(value(s.path("items"), random, depth + 1));
                }
                return array;
            }
            default: {
                final ObjectNode object = NODES.objectNode();
                s.path("properties").fields().forEachRemaining(p -> {
                    if (random.nextInt(6) > 0) {
                        object.set(p.getKey(), value(p.getValue(), random, depth + 1));
                    }
                });
                if (random.nextInt(10) == 0) {
                    object.set(draw(asciiString, random), wrong(random));
                }
                return object;
            }
        }
    }

    private JsonNode wrong(Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.numberNode(draw(anyLong, random));
            case 2 -> NODES.textNode(draw(anyString, random));
            case 3 -> NODES.arrayNode().add(draw(anyString, random));
            case 4 -> NODES.objectNode().put(draw(asciiString, random), draw(anyString, random));
            default -> NODES.booleanNode(random.nextBoolean());
        };
    }

    /** One value of {@code generator}, drawn with the input's own random source (jqwik, used programmatically). */
    private static <T> T draw(RandomGenerator<T> generator, Random random) {
        return generator.next(random).value();
    }

    private JsonNode resolve(JsonNode schema) {
        JsonNode s = schema;
        for (int i = 0; i < 10 && s.has("$ref"); i++) {
            final String ref = s.path("$ref").asText();
            s = document.at(ref.substring(1));
        }
        return s;
    }

    private static String text(JsonNode value) {
        return value.isTextual() ? value.textValue() : value.toString();
    }

    public long inputs() {
        return inputs.get();
    }

    /** Writes the gateway answered 2xx. */
    public long accepted() {
        return accepted.get();
    }

    /** Accepted writes to the system registry. */
    public long systemWrites() {
        return systemWrites.get();
    }

    /** The request ids a 2xx write of the fuzz named or created. */
    public Set<String> writtenIds() {
        return Set.copyOf(writtenIds);
    }

    static String describe(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return String.valueOf(node);
        }
    }
}
