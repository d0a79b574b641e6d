package dev.lethe.ledger.executor.s3;

import dev.lethe.avro.ErasureEvent;
import dev.lethe.avro.Identifier;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Expands a system's prefix templates for one subject. A template is a key prefix with
 * placeholders: {@code {subject}} (the subject's own identifier) or an identifier namespace such
 * as {@code {user_id}} (every identifier of that namespace in the request). A template may start
 * with {@code s3://bucket/} to apply to that bucket only; otherwise it applies to each of the
 * system's buckets.
 *
 * <p>Safety rules, because a prefix deletes everything under it: a template must contain at
 * least one placeholder and every placeholder must be followed by a literal character (e.g.
 * {@code users/{user_id}/}), so that erasing user {@code 12} can never touch {@code users/123/};
 * a template whose placeholder has no value in the request, or a value that is blank or contains
 * {@code /}, yields nothing for that value.
 */
public final class PrefixTemplates {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9_.-]+)}");

    private PrefixTemplates() {
    }

    /** Throws with a clear message when a template is unsafe (see the class comment). */
    public static void validate(String template) {
        final Matcher matcher = PLACEHOLDER.matcher(template);
        boolean any = false;
        while (matcher.find()) {
            any = true;
            if (matcher.end() == template.length() || template.charAt(matcher.end()) == '{') {
                throw new IllegalArgumentException("prefix template '" + template
                        + "': a placeholder must be followed by a literal character such as '/'");
            }
        }
        if (!any) {
            throw new IllegalArgumentException("prefix template '" + template
                    + "' has no placeholder; it would erase every subject's objects");
        }
    }

    /** The (bucket, prefix) pairs to list for this subject, without duplicates. */
    public static List<ObjectRef> expand(List<String> templates, List<String> buckets, ErasureEvent event) {
        final Set<ObjectRef> prefixes = new LinkedHashSet<>();
        for (String template : templates) {
            validate(template);
            final String bucketOnly;
            final String body;
            if (template.startsWith("s3://")) {
                final int slash = template.indexOf('/', 5);
                bucketOnly = template.substring(5, slash < 0 ? template.length() : slash);
                body = slash < 0 ? "" : template.substring(slash + 1);
                if (!buckets.contains(bucketOnly)) {
                    throw new IllegalArgumentException("prefix template names bucket " + bucketOnly
                            + " that is not one of the system's buckets");
                }
            } else {
                bucketOnly = null;
                body = template;
            }
            for (String prefix : fill(body, event)) {
                for (String bucket : buckets) {
                    if (bucketOnly == null || bucketOnly.equals(bucket)) {
                        prefixes.add(new ObjectRef(bucket, prefix));
                    }
                }
            }
        }
        return List.copyOf(prefixes);
    }

    private static List<String> fill(String body, ErasureEvent event) {
        List<String> results = List.of("");
        int last = 0;
        final Matcher matcher = PLACEHOLDER.matcher(body);
        while (matcher.find()) {
            final String literal = body.substring(last, matcher.start());
            final List<String> values = values(matcher.group(1), event);
            final List<String> next = new ArrayList<>();
            for (String partial : results) {
                for (String value : values) {
                    next.add(partial + literal + value);
                }
            }
            results = next;
            last = matcher.end();
        }
        final String tail = body.substring(last);
        return results.stream().map(r -> r + tail).toList();
    }

    private static List<String> values(String name, ErasureEvent event) {
        final Set<String> values = new LinkedHashSet<>();
        if ("subject".equals(name)) {
            values.add(event.getSubject().getValue());
        } else {
            if (name.equals(event.getSubject().getNamespace())) {
                values.add(event.getSubject().getValue());
            }
            for (Identifier identifier : event.getIdentifiers()) {
                if (name.equals(identifier.getNamespace())) {
                    values.add(identifier.getValue());
                }
            }
        }
        values.removeIf(v -> v == null || v.isBlank() || v.contains("/"));
        return List.copyOf(values);
    }
}
