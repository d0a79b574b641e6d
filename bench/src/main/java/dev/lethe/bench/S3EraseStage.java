package dev.lethe.bench;

import dev.lethe.bench.s3.S3EraseBench;
import java.util.ArrayList;
import java.util.List;

/**
 * Issue 6's figure in the harness: objects erased per second for the worst user of an image
 * service (see {@link S3EraseBench}), against a bare DeleteObjects loop and against one
 * DeleteObject call per object, same SDK client and in-process S3 server, same run; ratios per
 * round. It needs no broker.
 */
final class S3EraseStage implements Stage {

    static final String NAME = "s3";
    private static final int SINGLE_SAMPLE = 5_000;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Figure> run(BenchContext context) throws Exception {
        final S3EraseBench.Result result = S3EraseBench.run(context.rounds(), SINGLE_SAMPLE);
        return List.of(
                Figure.of(NAME, "Lethe's S3 eraser, worst user (" + result.objects() + " objects)", "objects/s",
                        Summary.of(result.letheRounds())),
                Figure.of(NAME, "bare DeleteObjects loop", "objects/s", Summary.of(result.bareRounds())),
                Figure.of(NAME, "one DeleteObject per object (" + SINGLE_SAMPLE + " objects)", "objects/s",
                        Summary.of(result.singleRounds())),
                Figure.of(NAME, "Lethe / bare DeleteObjects loop", "ratio",
                        Summary.of(ratios(result.letheRounds(), result.bareRounds()))),
                Figure.of(NAME, "Lethe / one DeleteObject per object", "ratio",
                        Summary.of(ratios(result.letheRounds(), result.singleRounds()))));
    }

    private static List<Double> ratios(List<Double> lethe, List<Double> baseline) {
        final List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < lethe.size(); i++) {
            ratios.add(lethe.get(i) / baseline.get(i));
        }
        return ratios;
    }
}
