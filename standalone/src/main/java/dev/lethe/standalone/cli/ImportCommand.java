package dev.lethe.standalone.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code lethe import FILE}: files every row of a CSV or NDJSON file as an erasure request through
 * {@code POST /v1/erasures/batch}. Each row carries an {@code idempotencyKey} derived from its
 * request body (SHA-256), so filing the same file again, whole or after an interruption, files
 * nothing twice: a row already filed answers with its first id. A progress file next to the input
 * ({@code FILE.progress}: the file's SHA-256 and how many rows are answered) lets a re-run of the
 * same file skip what is done; it is removed once every row is answered. Every row refused, by
 * the file's shape or by the gateway, is listed with its reason in {@code FILE.refused.csv}; none
 * is dropped silently.
 */
@Command(name = "import", description = "File every row of a CSV or NDJSON file as an erasure request: idempotent "
        + "per row, resumable, rate-limited, refused rows reported.")
final class ImportCommand implements Callable<Integer> {

    static final int MAX_BATCH = 1000;
    private static final int ATTEMPTS = 6;

    @ParentCommand
    LetheCommand root;

    @Spec
    CommandSpec spec;

    @Mixin
    Connection connection;

    @Parameters(paramLabel = "FILE", description = "a CSV file with a header row, or NDJSON (one POST /v1/erasures "
            + "body a line; by extension .ndjson/.jsonl or a first '{')")
    Path file;

    @Option(names = "--jurisdiction", paramLabel = "J", description = "for rows that give none")
    String jurisdiction;

    @Option(names = "--reason", paramLabel = "R", description = "for rows that give none")
    String reason;

    @Option(names = "--source", paramLabel = "S", description = "for rows that give none")
    String source;

    @Option(names = "--subject", paramLabel = "COLUMN", description = "the CSV column that is the subject "
            + "(default: the first namespace column)")
    String subject;

    @Option(names = "--rate", paramLabel = "ROWS_PER_S", defaultValue = "0",
            description = "at most this many rows a second (default 0: as fast as Lethe takes them)")
    double rate;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "500",
            description = "rows per call, 1-" + MAX_BATCH + " (default ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--report", paramLabel = "FILE", description = "where refused rows are listed "
            + "(default FILE.refused.csv)")
    Path report;

    @Option(names = "--ids", paramLabel = "FILE", description = "also write row,code,id,status of every row filed "
            + "(a row filed before gets its first id again)")
    Path ids;

    @Option(names = "--restart", description = "ignore the progress file and send every row again (still "
            + "nothing is filed twice)")
    boolean restart;

    @Option(names = "--retry-pause-ms", hidden = true, defaultValue = "1000",
            description = "the pause before a row the gateway could not take (503) is sent again, times the attempt")
    long retryPauseMs;

    /** What happened to the rows so far. */
    private long accepted;
    private long duplicates;
    private long refused;
    private long unanswered;
    private java.io.BufferedWriter idsOut;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (batchSize < 1 || batchSize > MAX_BATCH) {
            throw new ParameterException(spec.commandLine(), "--batch-size must be 1-" + MAX_BATCH);
        }
        if (rate < 0) {
            throw new ParameterException(spec.commandLine(), "--rate must be 0 or more");
        }
        if (!Files.isReadable(file)) {
            throw new ParameterException(spec.commandLine(), "cannot read " + file);
        }
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final Api api = connection.api(root.environment());
        final ImportRows.Defaults defaults = new ImportRows.Defaults(jurisdiction, reason, source, subject);
        final String hash = sha256(file);
        final Path progressFile = file.resolveSibling(file.getFileName() + ".progress");
        final long resumeAfter = restart ? 0 : resumePoint(progressFile, hash);
        final Path reportFile = report != null ? report : file.resolveSibling(file.getFileName() + ".refused.csv");
        final RefusedReport refusals = new RefusedReport(reportFile, resumeAfter > 0);
        if (ids != null) {
            final boolean append = resumeAfter > 0 && Files.exists(ids);
            idsOut = append ? Files.newBufferedWriter(ids, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND)
                    : Files.newBufferedWriter(ids, StandardCharsets.UTF_8);
            if (!append) {
                idsOut.write("row,code,id,status\n");
            }
        }
        if (resumeAfter > 0) {
            err.println("resuming after row " + resumeAfter + " (" + progressFile + "; --restart to send every row)");
        }
        final long total = count(defaults);
        final Progress progress = new Progress(err, "import", total);
        progress.add(resumeAfter);
        final long started = System.nanoTime();
        long done = resumeAfter;
        // the progress file never goes past a row Lethe could not take (503): a run again sends it
        long answeredThrough = resumeAfter;
        long sent = 0;
        try (ImportRows rows = ImportRows.open(file, defaults)) {
            final List<ImportRows.Row> batch = new ArrayList<>();
            long ordinal = 0;
            for (ImportRows.Row row = rows.next(); row != null; row = rows.next()) {
                if (++ordinal <= resumeAfter) {
                    continue;
                }
                batch.add(row);
                if (batch.size() == batchSize) {
                    sent = pace(started, sent, batch.size());
                    send(api, batch, refusals);
                    done += batch.size();
                    answeredThrough = unanswered == 0 ? done : answeredThrough;
                    saveProgress(progressFile, hash, answeredThrough);
                    progress.add(batch.size());
                    batch.clear();
                    if (Thread.currentThread().isInterrupted()) {
                        throw new InterruptedException();
                    }
                }
            }
            if (!batch.isEmpty()) {
                pace(started, sent, batch.size());
                send(api, batch, refusals);
                done += batch.size();
                answeredThrough = unanswered == 0 ? done : answeredThrough;
                saveProgress(progressFile, hash, answeredThrough);
                progress.add(batch.size());
            }
        } catch (InterruptedException | Api.Interrupted e) {
            // every batch answered is in the progress file; the one in flight, if any, is sent again (idempotent)
            progress.done();
            err.println("interrupted after row " + answeredThrough + ": run the same command again to resume");
            return LetheCommand.FAILED;
        } finally {
            refusals.close();
            if (idsOut != null) {
                idsOut.close();
            }
        }
        progress.done();
        if (unanswered == 0) {
            Files.deleteIfExists(progressFile);
        }
        summary(out, done, progress.seconds(), reportFile);
        if (unanswered > 0) {
            return LetheCommand.FAILED;
        }
        return refused > 0 ? LetheCommand.FOUND_PROBLEMS : 0;
    }

    /** Waits until sending {@code n} more rows keeps within {@link #rate}; answers the rows sent so far. */
    private long pace(long started, long sent, int n) throws InterruptedException {
        if (rate > 0) {
            final long due = started + (long) ((sent) / rate * 1e9);
            final long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
        }
        return sent + n;
    }

    /** Files one batch; items the gateway could not take now (503) are sent again, a few times. */
    private void send(Api api, List<ImportRows.Row> batch, RefusedReport refusals)
            throws IOException, InterruptedException {
        final List<RefusedReport.Refusal> found = new ArrayList<>();
        List<ImportRows.Row> pending = new ArrayList<>();
        for (ImportRows.Row row : batch) {
            if (row.refusal() != null) {
                refused++;
                found.add(new RefusedReport.Refusal(row.number(), 0, "unreadable_row", null,
                        "row " + row.number() + " " + row.refusal()));
            } else {
                pending.add(row);
            }
        }
        for (int attempt = 1; !pending.isEmpty(); attempt++) {
            final Api.Answer answer = api.post("/v1/erasures/batch", body(pending));
            if (answer.status() != 200) {
                if (answer.status() == 503 && attempt < ATTEMPTS) {
                    Thread.sleep(retryPauseMs * attempt);
                    continue;
                }
                throw new IllegalStateException("POST /v1/erasures/batch answered " + answer.problem());
            }
            final List<ImportRows.Row> again = new ArrayList<>();
            final JsonNode results = answer.body().path("results");
            for (int i = 0; i < pending.size(); i++) {
                final JsonNode result = results.get(i);
                final int code = result.path("code").asInt();
                if (code == 503 && attempt < ATTEMPTS) {
                    again.add(pending.get(i));
                } else {
                    judge(pending.get(i), result, code, found);
                }
            }
            if (!again.isEmpty()) {
                Thread.sleep(retryPauseMs * attempt);
            }
            pending = again;
        }
        found.sort(java.util.Comparator.comparingLong(RefusedReport.Refusal::row));
        for (RefusedReport.Refusal refusal : found) {
            refusals.add(refusal);
        }
        if (idsOut != null) {
            idsOut.flush(); // before the progress file says these rows are done
        }
    }

    private void judge(ImportRows.Row row, JsonNode result, int code, List<RefusedReport.Refusal> found)
            throws IOException {
        if (code == 202 || code == 200) {
            if (idsOut != null) {
                idsOut.write(Csv.line(List.of(Long.toString(row.number()), Integer.toString(code),
                        result.path("id").asText(""), result.path("status").asText(""))));
                idsOut.newLine();
            }
            if (result.path("duplicate").asBoolean(false)) {
                duplicates++;
            } else {
                accepted++;
            }
            return;
        }
        if (code == 503) {
            unanswered++;
        } else {
            refused++;
        }
        final String field = result.path("field").asText(null);
        found.add(new RefusedReport.Refusal(row.number(), code, result.path("error").asText(""),
                field == null ? null : field.replaceFirst("^requests\\[\\d+]\\.?", ""),
                result.path("message").asText("")));
    }

    private static ObjectNode body(List<ImportRows.Row> rows) {
        final ObjectNode body = Api.JSON.createObjectNode();
        final ArrayNode requests = body.putArray("requests");
        for (ImportRows.Row row : rows) {
            final ObjectNode item = row.body().deepCopy();
            item.put("idempotencyKey", idempotencyKey(row.body()));
            requests.add(item);
        }
        return body;
    }

    /** The row's key: {@code import-} and the SHA-256 of its request body as sent, so the same row is always one request. */
    static String idempotencyKey(ObjectNode body) {
        return "import-" + HexFormat.of().formatHex(digest().digest(Api.write(body).getBytes(StandardCharsets.UTF_8)));
    }

    private void summary(PrintWriter out, long rows, double seconds, Path reportFile) {
        out.printf("import: %d rows of %s in %.1f s (%.0f rows/s)%n", rows, file, seconds,
                seconds > 0 ? rows / seconds : 0);
        out.printf("  filed       %8d  (a request each; a row filed before answers with its first id)%n", accepted);
        out.printf("  duplicates  %8d  (an open request of the same subject and scope already exists)%n", duplicates);
        out.printf("  refused     %8d%s%n", refused, refused > 0 ? "  (each with its reason in " + reportFile + ")" : "");
        if (unanswered > 0) {
            out.printf("  not taken   %8d  (Lethe could not take them now: run the same command again)%n", unanswered);
        }
        out.flush();
    }

    private long count(ImportRows.Defaults defaults) throws IOException {
        long n = 0;
        try (ImportRows rows = ImportRows.open(file, defaults)) {
            while (rows.next() != null) {
                n++;
            }
        }
        return n;
    }

    private static long resumePoint(Path progressFile, String hash) throws IOException {
        if (!Files.exists(progressFile)) {
            return 0;
        }
        final List<String> lines = Files.readAllLines(progressFile, StandardCharsets.UTF_8);
        if (lines.size() < 2 || !lines.get(0).equals("sha256 " + hash) || !lines.get(1).startsWith("rows ")) {
            return 0; // another file, or another version of it: start over (idempotency keeps it safe)
        }
        return Long.parseLong(lines.get(1).substring("rows ".length()).strip());
    }

    private static void saveProgress(Path progressFile, String hash, long rows) throws IOException {
        final Path temp = progressFile.resolveSibling(progressFile.getFileName() + ".tmp");
        Files.writeString(temp, "sha256 " + hash + "\nrows " + rows + "\n", StandardCharsets.UTF_8);
        Files.move(temp, progressFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static String sha256(Path file) throws IOException {
        final MessageDigest digest = digest();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
