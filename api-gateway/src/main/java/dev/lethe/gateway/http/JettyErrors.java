package dev.lethe.gateway.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The answers of the HTTP server itself, for requests it refuses before the gateway sees them
 * (a request target it cannot parse, an ambiguous path): the same {@link ErrorBody} as every
 * other error, not an HTML page.
 */
public final class JettyErrors extends ErrorHandler {

    /** Every method gets the body, not only GET, POST and HEAD. */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, MimeTypes.Type.APPLICATION_JSON_UTF_8.asString());
        response.write(true, ByteBuffer.wrap(body(code)), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(new HttpField(HttpHeader.CONTENT_TYPE, MimeTypes.Type.APPLICATION_JSON_UTF_8.asString()));
        return ByteBuffer.wrap(body(status));
    }

    private static byte[] body(int status) {
        final ErrorBody error = status == 400
                ? new ErrorBody("malformed_request", "the request is malformed (its target, a header or its framing)",
                null)
                : new ErrorBody(status >= 500 ? "internal_error" : "bad_request", "the server refused the request "
                + "(HTTP " + status + ")", null);
        try {
            return Json.strict().writeValueAsBytes(error);
        } catch (JsonProcessingException e) {
            return "{\"error\":\"bad_request\",\"message\":\"refused\"}".getBytes(StandardCharsets.UTF_8);
        }
    }
}
