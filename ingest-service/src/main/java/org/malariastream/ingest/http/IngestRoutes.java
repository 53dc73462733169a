package org.malariastream.ingest.http;

import java.util.List;

/** The HTTP routes, named once: the server registers them and the OpenAPI test checks they are documented. */
final class IngestRoutes {
    static final String CELL = "/v1/slides/{slideId}/cells/{cellId}";
    static final String LABEL = "/v1/slides/{slideId}/cells/{cellId}/label";
    static final String HEALTH = "/health";
    static final String METRICS = "/metrics";
    static final String OPENAPI = "/openapi.json";

    static final List<String> DOCUMENTED = List.of(CELL, LABEL, HEALTH, METRICS, OPENAPI);

    private IngestRoutes() {}
}
