package org.malariastream.ingest.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.util.Locale;

/**
 * An RFC 9457 problem detail ({@code application/problem+json}): a stable type per reason, a title, the
 * HTTP status and a detail a scanner developer can act on, plus the machine-readable {@code reason}.
 */
record Problem(String reason, String title, int status, String detail) {
    static final String CONTENT_TYPE = "application/problem+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A URN per reason: stable, and no promise of a web page behind it. */
    String type() {
        return "urn:malaria-stream:problem:" + reason.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    void send(Context ctx) {
        ObjectNode body = JSON.createObjectNode()
                .put("type", type())
                .put("title", title)
                .put("status", status)
                .put("detail", detail)
                .put("instance", ctx.path())
                .put("reason", reason);
        ctx.status(status).contentType(CONTENT_TYPE).result(body.toString());
    }
}
