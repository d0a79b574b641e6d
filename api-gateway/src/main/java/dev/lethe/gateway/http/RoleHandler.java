package dev.lethe.gateway.http;

import dev.lethe.gateway.auth.Role;
import io.javalin.http.Context;

/** A route's handler, called once its {@link Access} check has passed with the caller's role (null when public). */
@FunctionalInterface
public interface RoleHandler {

    void handle(Context ctx, Role role) throws Exception;
}
