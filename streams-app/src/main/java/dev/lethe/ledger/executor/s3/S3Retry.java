package dev.lethe.ledger.executor.s3;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Retries S3 calls that failed for a passing reason — throttling ({@code 503 SlowDown}), a 500,
 * a request timeout, a broken connection — with exponential backoff and jitter (Resilience4j).
 * Any other error fails at once. The SDK's own retries are switched off so this is the only policy.
 */
public final class S3Retry {

    static final Set<String> PASSING_CODES = Set.of("SlowDown", "InternalError", "ServiceUnavailable",
            "RequestTimeout", "Throttling", "ThrottlingException", "RequestTimeTooSkewed");

    private final Retry retry;
    private final int maxAttempts;

    public S3Retry(int maxAttempts, Duration base) {
        this.maxAttempts = maxAttempts;
        this.retry = Retry.of("s3", RetryConfig.custom()
                .maxAttempts(maxAttempts)
                .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(base, 2.0, 0.5, Duration.ofSeconds(20)))
                .retryOnException(S3Retry::passing)
                .build());
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public <T> T call(Supplier<T> call) {
        return retry.executeSupplier(call);
    }

    static boolean passing(Throwable error) {
        if (error instanceof PassingFailure) {
            return true;
        }
        if (error instanceof S3Exception s3) {
            final int status = s3.statusCode();
            final String code = s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorCode();
            return status == 503 || status == 500 || status == 429 || status == 408 || PASSING_CODES.contains(code);
        }
        return error instanceof SdkClientException;
    }

    /** Thrown by a call that made partial progress and should be tried again for the rest. */
    static final class PassingFailure extends RuntimeException {

        PassingFailure(String message) {
            super(message, null, false, false);
        }
    }
}
