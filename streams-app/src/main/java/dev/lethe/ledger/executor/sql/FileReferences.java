package dev.lethe.ledger.executor.sql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lethe.ledger.executor.s3.ReferenceParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the object references a row's file column holds, for the S3 eraser to parse in any shape
 * it knows ({@link ReferenceParser}): the column's text itself, or, with a JSON path such as
 * {@code $[*]} or {@code $.files[*].url}, every value the path reaches inside the JSON it holds
 * (a string as it is; an object such as {@code {"key", "url", "bucket"}} as its JSON, which the
 * parser reads as a bucket + key pair). A manifest column's references get the
 * {@code manifest:} prefix. A value that is not JSON where a path is expected yields nothing.
 */
final class FileReferences {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern STEP = Pattern.compile("\\.([A-Za-z0-9_]+)|\\[(\\*|\\d+)]");

    private FileReferences() {
    }

    static List<String> of(String value, SqlSchema.FileColumn column) {
        final List<String> references = new ArrayList<>();
        if (value == null || value.isBlank()) {
            return references;
        }
        if (column.path() == null) {
            references.add(prefixed(value.trim(), column));
            return references;
        }
        final JsonNode root;
        try {
            root = JSON.readTree(value);
        } catch (IOException e) {
            return references;
        }
        List<JsonNode> nodes = List.of(root);
        final Matcher step = STEP.matcher(column.path().substring(1));
        while (step.find()) {
            final List<JsonNode> next = new ArrayList<>();
            for (JsonNode node : nodes) {
                if (step.group(1) != null) {
                    add(next, node.get(step.group(1)));
                } else if ("*".equals(step.group(2))) {
                    node.forEach(child -> add(next, child));
                } else {
                    add(next, node.get(Integer.parseInt(step.group(2))));
                }
            }
            nodes = next;
        }
        for (JsonNode node : nodes) {
            if (node.isTextual() && !node.textValue().isBlank()) {
                references.add(prefixed(node.textValue().trim(), column));
            } else if (node.isObject()) {
                references.add(prefixed(node.toString(), column));
            }
        }
        return references;
    }

    private static void add(List<JsonNode> nodes, JsonNode node) {
        if (node != null && !node.isNull() && !node.isMissingNode()) {
            nodes.add(node);
        }
    }

    private static String prefixed(String reference, SqlSchema.FileColumn column) {
        return column.manifest() ? ReferenceParser.MANIFEST_PREFIX + reference : reference;
    }
}
