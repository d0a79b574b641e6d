package dev.lethe.ledger.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which requests wait for a person's approval: an ordered list of rules, the first rule that
 * matches a request's jurisdiction and source decides; no match means automatic.
 *
 * <p>Text form (the {@code LETHE_APPROVAL} setting): rules separated by commas, each
 * {@code auto} or {@code manual}, optionally followed by {@code :} and conditions joined by
 * {@code +}; a condition is a jurisdiction ({@code GDPR}, same as {@code jurisdiction=GDPR}) or
 * {@code source=<source>}. Example: {@code manual:GDPR+source=support-tool,auto:source=accounts-service,manual}.
 */
public record ApprovalPolicy(List<Rule> rules) {

    public static final ApprovalPolicy AUTO = new ApprovalPolicy(List.of());
    public static final ApprovalPolicy MANUAL = new ApprovalPolicy(List.of(new Rule(true, null, null)));

    public ApprovalPolicy {
        rules = List.copyOf(rules);
    }

    /** One rule: {@code manual} or automatic, for a jurisdiction and/or a source (null = any). */
    public record Rule(boolean manual, String jurisdiction, String source) {

        boolean matches(String requestJurisdiction, String requestSource) {
            return (jurisdiction == null || jurisdiction.equalsIgnoreCase(requestJurisdiction))
                    && (source == null || source.equals(requestSource));
        }

        @Override
        public String toString() {
            final List<String> conditions = new ArrayList<>();
            if (jurisdiction != null) {
                conditions.add(jurisdiction);
            }
            if (source != null) {
                conditions.add("source=" + source);
            }
            return (manual ? "manual" : "auto") + (conditions.isEmpty() ? "" : ":" + String.join("+", conditions));
        }
    }

    /** The rule that decides a request of {@code jurisdiction} from {@code source}, or null (automatic). */
    public Rule match(String jurisdiction, String source) {
        return rules.stream().filter(rule -> rule.matches(jurisdiction, source)).findFirst().orElse(null);
    }

    /** Parses the text form; a malformed rule fails with a message that names it. */
    public static ApprovalPolicy parse(String text) {
        if (text == null || text.isBlank()) {
            return AUTO;
        }
        final List<Rule> rules = new ArrayList<>();
        for (String raw : text.split(",", -1)) {
            rules.add(rule(raw.strip(), text));
        }
        return new ApprovalPolicy(rules);
    }

    private static Rule rule(String raw, String text) {
        final int colon = raw.indexOf(':');
        final String mode = (colon < 0 ? raw : raw.substring(0, colon)).strip().toLowerCase(Locale.ROOT);
        if (!mode.equals("auto") && !mode.equals("manual")) {
            throw new IllegalArgumentException("approval rule '" + raw + "' in '" + text
                    + "' must start with auto or manual");
        }
        String jurisdiction = null;
        String source = null;
        if (colon >= 0) {
            for (String condition : raw.substring(colon + 1).split("\\+", -1)) {
                final String c = condition.strip();
                final int eq = c.indexOf('=');
                final String key = eq < 0 ? "jurisdiction" : c.substring(0, eq).strip();
                final String value = eq < 0 ? c : c.substring(eq + 1).strip();
                if (value.isEmpty()) {
                    throw new IllegalArgumentException("approval rule '" + raw + "' has an empty condition");
                }
                if (key.equals("jurisdiction") && jurisdiction == null) {
                    jurisdiction = value.toUpperCase(Locale.ROOT);
                } else if (key.equals("source") && source == null) {
                    source = value;
                } else {
                    throw new IllegalArgumentException("approval rule '" + raw + "': condition '" + c
                            + "' must be a jurisdiction or source=<source>, each at most once");
                }
            }
        }
        return new Rule(mode.equals("manual"), jurisdiction, source);
    }

    @Override
    public String toString() {
        return rules.isEmpty() ? "auto" : String.join(",", rules.stream().map(Rule::toString).toList());
    }
}
