package dev.lethe.gateway.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.lethe.gateway.api.ApiOptional;

/**
 * The body of every 4xx/5xx answer: a machine code, a message for a person and the JSON path
 * of the field at fault ({@code field} is left out when no single field is).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorBody(String error, String message, @ApiOptional String field) {
}
