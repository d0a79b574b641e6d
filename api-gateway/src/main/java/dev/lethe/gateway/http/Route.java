package dev.lethe.gateway.http;

import io.javalin.http.HandlerType;
import java.util.List;
import java.util.Objects;

/**
 * One route of the public API, declared once: the gateway registers its handler from this and
 * {@code /openapi.json} describes it from this, so no route can exist without its description.
 *
 * @param method       the HTTP method
 * @param path         the path template ({@code /v1/erasures/{id}})
 * @param access       who may call it
 * @param summary      one line for people
 * @param requestBody  the body's record type, or null for none
 * @param bodyOptional whether the body may be left out
 * @param responseBody the success body's type (a record, a list via {@link #responseIsList}), or null
 * @param responseIsList whether the success body is a JSON array of {@code responseBody}
 * @param status       the success status
 * @param errors       the error statuses it may answer besides 401/403
 * @param query        the names of its query parameters
 * @param handler      what it does
 * @param alsoStatuses other success statuses answered with the same body (202 for a registry write not yet shown)
 */
public record Route(HandlerType method, String path, Access access, String summary, Class<?> requestBody,
                    boolean bodyOptional, Class<?> responseBody, boolean responseIsList, int status,
                    List<Integer> errors, List<String> query, RoleHandler handler, List<Integer> alsoStatuses) {

    public Route {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(handler, "handler");
        errors = List.copyOf(errors);
        query = List.copyOf(query);
        alsoStatuses = List.copyOf(alsoStatuses);
    }

    /** A route with no body and no declared errors, to be refined with the {@code with...} copies. */
    public static Route of(HandlerType method, String path, Access access, String summary, RoleHandler handler) {
        return new Route(method, path, access, summary, null, false, null, false, 200, List.of(), List.of(), handler,
                List.of());
    }

    public Route withBody(Class<?> type, boolean optional) {
        return new Route(method, path, access, summary, type, optional, responseBody, responseIsList, status, errors,
                query, handler, alsoStatuses);
    }

    public Route answering(int successStatus, Class<?> type, boolean list) {
        return new Route(method, path, access, summary, requestBody, bodyOptional, type, list, successStatus, errors,
                query, handler, alsoStatuses);
    }

    public Route errors(Integer... statuses) {
        return new Route(method, path, access, summary, requestBody, bodyOptional, responseBody, responseIsList, status,
                List.of(statuses), query, handler, alsoStatuses);
    }

    public Route withQuery(String... names) {
        return new Route(method, path, access, summary, requestBody, bodyOptional, responseBody, responseIsList, status,
                errors, List.of(names), handler, alsoStatuses);
    }

    /** The same body is also answered with {@code statuses} (e.g. 202 besides 200). */
    public Route alsoAnswering(Integer... statuses) {
        return new Route(method, path, access, summary, requestBody, bodyOptional, responseBody, responseIsList, status,
                errors, query, handler, List.of(statuses));
    }
}
