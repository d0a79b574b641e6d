package dev.lethe.gateway.console;

import dev.lethe.gateway.auth.Role;
import dev.lethe.gateway.http.ApiException;
import dev.lethe.gateway.http.RoleHandler;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * The web console's static files, read once from the classpath ({@code /console/}): the page at
 * {@code /} and its script and style sheet at {@code /console/{asset}}. Only the files named here
 * are served; no build step makes them.
 */
public final class ConsoleAssets {

    /** The page. */
    public static final String PAGE = "index.html";
    private static final Map<String, String> TYPES = Map.of(
            PAGE, "text/html; charset=utf-8",
            "console.js", "text/javascript; charset=utf-8",
            "console.css", "text/css; charset=utf-8");

    private final Map<String, String> files;

    private ConsoleAssets(Map<String, String> files) {
        this.files = files;
    }

    /** Every asset, read from the classpath now (a missing one fails the start). */
    public static ConsoleAssets load() {
        final Map<String, String> files = new java.util.HashMap<>();
        TYPES.keySet().forEach(name -> files.put(name, resource("/console/" + name)));
        return new ConsoleAssets(Map.copyOf(files));
    }

    /** Serves the page. */
    public RoleHandler page() {
        return (ctx, role) -> serve(ctx, PAGE);
    }

    /** Serves the asset named by the path's {@code {asset}}; 404 for any other name. */
    public RoleHandler asset() {
        return (Context ctx, Role role) -> {
            final String name = ctx.pathParam("asset");
            if (!files.containsKey(name)) {
                throw ApiException.notFound("no console file " + name);
            }
            serve(ctx, name);
        };
    }

    private void serve(Context ctx, String name) {
        ctx.header("Cache-Control", "no-cache");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.contentType(TYPES.get(name)).result(files.get(name));
    }

    private static String resource(String name) {
        try (InputStream in = Objects.requireNonNull(ConsoleAssets.class.getResourceAsStream(name), name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name, e);
        }
    }
}
