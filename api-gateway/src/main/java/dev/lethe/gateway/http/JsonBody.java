package dev.lethe.gateway.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads a request body of at most {@link #MAX_BYTES} and maps it strictly onto a record.
 * An oversized body is refused before any of it is parsed ({@code body_too_large}); malformed
 * JSON is {@code malformed_json}; an unknown field is {@code unknown_field} and a wrong type
 * {@code invalid_type}, both with the field's JSON path ({@code identifiers[1].value}); a number
 * past its field's type ({@code 2147483648} for an int) and a string that is not valid Unicode text
 * (a lone surrogate, a control character other than tab and line breaks) are {@code invalid_value}.
 * Messages never repeat the caller's values.
 */
public final class JsonBody {

    public static final int MAX_BYTES = 64 * 1024;

    private JsonBody() {
    }

    /** The body of {@code ctx} as a {@code type}, or an {@link ApiException} (400). */
    public static <T> T read(Context ctx, Class<T> type) {
        return parse(readBounded(ctx), type);
    }

    /** As {@link #read}, but an empty body (or only whitespace) is {@code empty}. */
    public static <T> T readOptional(Context ctx, Class<T> type, T empty) {
        final byte[] bytes = readBounded(ctx);
        return new String(bytes, StandardCharsets.UTF_8).isBlank() ? empty : parse(bytes, type);
    }

    /** The body of {@code ctx} as a JSON object tree (bounded, malformed JSON refused). */
    public static JsonNode readTree(Context ctx) {
        return tree(readBounded(ctx));
    }

    /**
     * The body of {@code ctx}, of at most {@code maxBytes}, as a JSON object tree: malformed JSON
     * refused, its strings not checked yet ({@link #map} checks each part it maps), so that one
     * part of a batch with a bad string can be refused alone.
     */
    public static JsonNode readTree(Context ctx, int maxBytes) {
        return tree(readBounded(ctx, maxBytes), false);
    }

    /** The raw body, at most {@link #MAX_BYTES} (a signed body is checked on these bytes before it is parsed). */
    public static byte[] readBounded(Context ctx) {
        return readBounded(ctx, MAX_BYTES);
    }

    private static byte[] readBounded(Context ctx, int maxBytes) {
        if (ctx.req().getContentLengthLong() > maxBytes) {
            throw tooLarge(maxBytes);
        }
        try (InputStream in = ctx.bodyInputStream()) {
            final byte[] bytes = in.readNBytes(maxBytes + 1);
            if (bytes.length > maxBytes) {
                throw tooLarge(maxBytes);
            }
            return bytes;
        } catch (IOException e) {
            throw ApiException.badRequest("unreadable_body", "the body could not be read to its end", null);
        }
    }

    /**
     * Maps {@code bytes} onto {@code type} with {@link Json#strict()}: first as a tree (malformed
     * JSON, duplicate keys and trailing content are refused there), then onto the record.
     */
    public static <T> T parse(byte[] bytes, Class<T> type) {
        return mapChecked(tree(bytes, true), type);
    }

    /**
     * Maps a JSON object {@code tree} (e.g. one item of a batch) onto {@code type} as {@link #parse}
     * does, its strings checked first; paths in refusals are relative to {@code tree}.
     */
    public static <T> T map(JsonNode tree, Class<T> type) {
        if (!tree.isObject()) {
            throw ApiException.badRequest("invalid_type", "must be a JSON object", null);
        }
        requireText(tree, "");
        return mapChecked(tree, type);
    }

    private static <T> T mapChecked(JsonNode tree, Class<T> type) {
        try {
            return Json.strict().treeToValue(tree, type);
        } catch (InvalidDefinitionException e) {
            throw new IllegalStateException("cannot map JSON onto " + type.getSimpleName(), e);
        } catch (UnrecognizedPropertyException e) {
            final String path = path(e.getPath());
            throw ApiException.badRequest("unknown_field", "unknown field " + path, path);
        } catch (MismatchedInputException e) {
            throw mismatched(e);
        } catch (JsonMappingException e) {
            if (!(e.getCause() instanceof InputCoercionException)) {
                throw new IllegalStateException("cannot map a JSON tree onto " + type.getSimpleName(), e);
            }
            final String path = path(e.getPath());
            throw ApiException.badRequest("invalid_value", (path.isEmpty() ? "a number" : path)
                    + " is out of range", path.isEmpty() ? null : path);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot map a JSON tree onto " + type.getSimpleName(), e);
        }
    }

    private static JsonNode tree(byte[] bytes) {
        return tree(bytes, true);
    }

    private static JsonNode tree(byte[] bytes, boolean checkText) {
        final JsonNode tree;
        try {
            tree = Json.strict().readTree(bytes);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("malformed_json", "the body is not valid JSON" + at(e.getLocation()), null);
        } catch (IOException e) {
            throw new UncheckedIOException("request body could not be parsed", e);
        }
        if (tree == null || tree.isMissingNode()) {
            throw ApiException.badRequest("malformed_json", "the body is empty; a JSON object is expected", null);
        }
        if (!tree.isObject()) {
            throw ApiException.badRequest("invalid_type", "the body must be a JSON object", null);
        }
        if (checkText) {
            requireText(tree, "");
        }
        return tree;
    }

    /** Refuses a field name or string anywhere in {@code node} that is not valid Unicode text. */
    private static void requireText(JsonNode node, String path) {
        if (node.isTextual()) {
            final String problem = Text.problemInFreeText(node.textValue());
            if (problem != null) {
                throw ApiException.badRequest("invalid_value", (path.isEmpty() ? "the body" : path) + " " + problem,
                        path.isEmpty() ? null : path);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                requireText(node.get(i), path + "[" + i + "]");
            }
        } else if (node.isObject()) {
            for (final Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                final Map.Entry<String, JsonNode> field = it.next();
                if (Text.problemInValue(field.getKey()) != null) {
                    throw ApiException.badRequest("unknown_field", "a field name "
                            + (path.isEmpty() ? "" : "in " + path + " ") + "is not valid Unicode text",
                            path.isEmpty() ? null : path);
                }
                requireText(field.getValue(), path.isEmpty() ? field.getKey() : path + "." + field.getKey());
            }
        }
    }

    private static ApiException mismatched(MismatchedInputException e) {
        final String path = path(e.getPath());
        final String expected = describe(e.getTargetType());
        if (path.isEmpty()) {
            return ApiException.badRequest("invalid_type", "the body must be " + expected, null);
        }
        return ApiException.badRequest("invalid_type", path + " must be " + expected, path);
    }

    /** The JSON path of a Jackson reference chain: {@code subject.namespace}, {@code identifiers[1].value}. */
    static String path(List<JsonMappingException.Reference> references) {
        final StringBuilder path = new StringBuilder();
        for (final JsonMappingException.Reference reference : references) {
            if (reference.getFieldName() != null) {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (CharSequence.class.isAssignableFrom(type)) {
            return "a string";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "an object";
    }

    private static String at(JsonLocation location) {
        if (location == null || location.getLineNr() < 0) {
            return "";
        }
        return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    private static ApiException tooLarge(int maxBytes) {
        return ApiException.badRequest("body_too_large", "the body is larger than " + maxBytes + " bytes ("
                + maxBytes / 1024 + " KiB)", null);
    }
}
