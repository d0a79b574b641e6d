package dev.lethe.standalone.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code lethe replay --system NAME --since TIME}: a system restored from a backup taken at TIME
 * gets again every erasure that finished after TIME and was routed to it. The requests come from
 * the gateway's list ({@code system=NAME}, {@code field=finishedAt}, {@code from=TIME}), each
 * COMPLETED one gets a new obligation through {@code POST …/systems/NAME/replay}.
 */
@Command(name = "replay", description = "Send every erasure that finished after TIME and was routed to a system "
        + "again, to that system restored from a backup taken at TIME (audited REPLAYED, tracked and chased).")
final class ReplayCommand implements Callable<Integer> {

    static final Set<String> COMPLETED = Set.of("COMPLETED", "COMPLETED_WITH_EXCEPTIONS");
    private static final int PAGE = 500;

    @ParentCommand
    LetheCommand root;

    @Spec
    CommandSpec spec;

    @Mixin
    Connection connection;

    @Option(names = "--system", required = true, paramLabel = "NAME", description = "the restored system")
    String system;

    @Option(names = "--since", required = true, paramLabel = "TIME",
            description = "when its backup was taken (RFC 3339, e.g. 2026-03-01T00:00:00Z)")
    Instant since;

    @Option(names = "--dry-run", description = "only list what would be sent")
    boolean dryRun;

    @Override
    public Integer call() {
        final Api api = connection.api(root.environment());
        final List<Obligations.Candidate> candidates = new ArrayList<>();
        String cursor = null;
        do {
            final Api.Answer page = api.get("/v1/erasures?system=" + Obligations.encode(system)
                    + "&field=finishedAt&from=" + since + "&limit=" + PAGE
                    + (cursor == null ? "" : "&cursor=" + Obligations.encode(cursor)));
            if (!page.ok()) {
                throw new IllegalStateException("GET /v1/erasures answered " + page.problem());
            }
            for (JsonNode item : page.body().path("items")) {
                if (COMPLETED.contains(item.path("status").asText())) {
                    candidates.add(new Obligations.Candidate(item.path("id").asText(),
                            item.path("finishedAt").asText(), system + " was " + statusOf(item)));
                }
            }
            cursor = page.body().path("next").isTextual() ? page.body().path("next").asText() : null;
        } while (cursor != null);
        return Obligations.file(api, "replay", system, "restored from a backup taken at " + since, candidates,
                dryRun, spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    private String statusOf(JsonNode request) {
        for (JsonNode target : request.path("systems")) {
            if (target.path("name").asText().equals(system)) {
                return target.path("status").asText();
            }
        }
        return "not a target";
    }
}
