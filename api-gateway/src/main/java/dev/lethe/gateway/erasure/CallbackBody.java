package dev.lethe.gateway.erasure;

import dev.lethe.avro.CallbackOutcome;
import dev.lethe.gateway.api.ApiOptional;
import dev.lethe.gateway.api.OneOf;

/** The body of {@code POST /v1/erasures/{id}/systems/{system}/callback}, exactly as sent. */
public record CallbackBody(@OneOf(CallbackOutcome.class) String outcome, @ApiOptional Long itemsErased,
                           @ApiOptional String detail, @ApiOptional String legalBasis) {
}
