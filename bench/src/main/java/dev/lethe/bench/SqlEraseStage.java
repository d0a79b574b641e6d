package dev.lethe.bench;

import dev.lethe.bench.sql.SqlEraseBench;
import java.util.ArrayList;
import java.util.List;

/**
 * Issue 17's figure in the harness: rows erased per second for the worst user of the ISMS-P case
 * by Lethe's SQL eraser, against a bare batched DELETE loop on the same PostgreSQL in the same
 * run, as a ratio per round; and once, the full-size worst user with its 50,000 objects (see
 * {@link SqlEraseBench}). It needs no broker.
 */
final class SqlEraseStage implements Stage {

    static final String NAME = "sql";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Figure> run(BenchContext context) throws Exception {
        final SqlEraseBench.Result result = SqlEraseBench.run(context.rounds());
        final List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < result.letheRounds().size(); i++) {
            ratios.add(result.letheRounds().get(i) / result.bareRounds().get(i));
        }
        return List.of(
                Figure.of(NAME, "Lethe's SQL eraser, worst user (" + result.rows() + " rows)", "rows/s",
                        Summary.of(result.letheRounds())),
                Figure.of(NAME, "bare batched DELETE loop", "rows/s", Summary.of(result.bareRounds())),
                Figure.of(NAME, "Lethe / bare batched DELETE loop", "ratio", Summary.of(ratios)),
                Figure.of(NAME, "worst user with files (" + result.fullItems() + " rows + objects), once", "s",
                        Summary.of(List.of(result.fullSeconds()))));
    }
}
