package dev.lethe.standalone.cli;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code lethe replay} and {@code lethe cover} share: for each chosen finished request, one
 * {@code POST /v1/erasures/{id}/systems/{system}/replay} (or {@code cover}), counted by answer,
 * or with {@code --dry-run} only the list of what would be sent.
 */
final class Obligations {

    /** One finished request to give a new obligation, and why it was chosen. */
    record Candidate(String requestId, String finishedAt, String why) {
    }

    private Obligations() {
    }

    /** Files {@code action} (replay or cover) for every candidate; answers the exit status. */
    static int file(Api api, String action, String system, String note, List<Candidate> candidates,
                    boolean dryRun, PrintWriter out, PrintWriter err) {
        if (dryRun) {
            out.println(action + " --dry-run: " + candidates.size() + " finished requests would get a new obligation "
                    + "for " + system + " (erasure events carry the subject key, never an identifier):");
            candidates.forEach(c -> out.println("  " + c.requestId() + "  finished " + c.finishedAt() + "  " + c.why()));
            out.println("nothing was sent (without --dry-run, each is audited "
                    + (action.equals("replay") ? "REPLAYED" : "COVERED") + " and chased like any obligation)");
            out.flush();
            return 0;
        }
        final Progress progress = new Progress(err, action, candidates.size());
        final Map<String, Integer> skipped = new LinkedHashMap<>();
        int sent = 0;
        int refused = 0;
        final Map<String, String> body = note == null ? Map.of() : Map.of("note", note);
        for (Candidate c : candidates) {
            final Api.Answer answer = api.post("/v1/erasures/" + encode(c.requestId()) + "/systems/" + encode(system)
                    + "/" + action, body);
            if (answer.ok()) {
                sent++;
            } else if (answer.status() == 409) {
                skipped.merge(answer.body().path("error").asText("409"), 1, Integer::sum);
            } else {
                refused++;
                err.println();
                err.println("request " + c.requestId() + ": " + answer.problem());
            }
            progress.add(1);
        }
        progress.done();
        out.println(action + ": " + sent + " of " + candidates.size() + " finished requests now have an obligation for "
                + system + " (audited " + (action.equals("replay") ? "REPLAYED" : "COVERED") + ")");
        skipped.forEach((why, n) -> out.println("  skipped " + n + " (" + why + ")"));
        if (refused > 0) {
            out.println("  failed " + refused + " (listed above)");
        }
        out.flush();
        return refused > 0 ? LetheCommand.FOUND_PROBLEMS : 0;
    }

    static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
