package dev.lethe.ledger.executor.s3;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * Drops {@code Expect: 100-continue} from requests: the JDK's HttpURLConnection (under the
 * url-connection client) handles it badly against some S3-compatible servers (broken request
 * bodies, stalls), and the executor only uploads in tests and the demo.
 */
public final class NoExpectContinue implements ExecutionInterceptor {

    @Override
    public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
        return context.httpRequest().toBuilder().removeHeader("Expect").build();
    }
}
