package dev.lethe.gateway.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A field of a body or an answer that may be left out or be {@code null}. Every field without it
 * is required and never null in {@code /openapi.json}: the contract is strict by default, so an
 * answer that loses a field, or gains one that is not declared, fails the contract tests.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface ApiOptional {
}
