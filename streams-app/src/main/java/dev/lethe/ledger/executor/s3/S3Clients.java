package dev.lethe.ledger.executor.s3;

import dev.lethe.ledger.executor.ExecutorSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Builds the executor's S3 client from {@link ExecutorSettings}: endpoint override and
 * path-style addressing for S3-compatible stores, credentials read from files (or the SDK's
 * default chain), and no SDK retries ({@link S3Retry} is the one retry policy).
 */
public final class S3Clients {

    private S3Clients() {
    }

    public static S3Client create(ExecutorSettings settings) {
        final var builder = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(10)).socketTimeout(Duration.ofSeconds(60)).build())
                .region(Region.of(settings.s3Region()))
                .forcePathStyle(settings.s3PathStyle())
                .credentialsProvider(credentials(settings))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()));
        settings.s3Endpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    private static AwsCredentialsProvider credentials(ExecutorSettings settings) {
        if (settings.s3AccessKeyFile().isEmpty()) {
            return DefaultCredentialsProvider.builder().build();
        }
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(
                read(settings.s3AccessKeyFile().get()), read(settings.s3SecretKeyFile().orElseThrow())));
    }

    private static String read(Path file) {
        try {
            final String value = Files.readString(file).trim();
            if (value.isEmpty()) {
                throw new IllegalArgumentException("S3 credential file " + file + " is empty");
            }
            return value;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read S3 credential file " + file + ": " + e.getMessage(), e);
        }
    }
}
