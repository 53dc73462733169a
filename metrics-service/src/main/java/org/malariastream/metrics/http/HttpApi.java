package org.malariastream.metrics.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.javalin.json.JavalinJackson;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's HTTP surface (Javalin):
 * <ul>
 *   <li>{@code GET /api/models}, {@code /api/models/{version}/metrics}, {@code /api/slides/{slideId}},
 *       {@code /api/slides?status=complete|in_progress&limit=N}: from the state stores of all instances;</li>
 *   <li>{@code GET /api/events}: Server-Sent Events, a {@code snapshot} event (models with their windows and
 *       ROC curves, and slides) whenever something changed, checked every push interval;</li>
 *   <li>{@code GET /}: the live QA page; {@code GET /metrics}: Prometheus; {@code GET /health}: Streams' state;</li>
 *   <li>{@code /api/internal/...}: this instance's own part, for the other instances.</li>
 * </ul>
 */
public final class HttpApi implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HttpApi.class);
    static final int DEFAULT_LIMIT = 1000;
    static final int PAGE_SLIDES = 500;

    private final PrometheusMeterRegistry prometheus;
    private final Supplier<String> health;
    private final Javalin app;
    private final ConcurrentLinkedQueue<SseClient> clients = new ConcurrentLinkedQueue<>();
    private final ScheduledExecutorService pusher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "qa-page-push");
        t.setDaemon(true);
        return t;
    });
    private volatile String lastSnapshot;

    /**
     * The server starts before Streams (its port is the instance's address in Streams' metadata), so the
     * API answers 503 until {@link #serve} hands it the query service.
     *
     * @param health Streams' state for {@code /health}: RUNNING or REBALANCING is healthy
     */
    public HttpApi(PrometheusMeterRegistry prometheus, Supplier<String> health) {
        this.prometheus = prometheus;
        this.health = health;
        this.app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.jsonMapper(new JavalinJackson(QueryService.JSON, false));
        });
        this.delegate = new QueryHolder();
        routes();
    }

    private final QueryHolder delegate;

    /** Holds the query service once Streams exists; until then the API answers 503. */
    private static final class QueryHolder {
        volatile QueryService service;

        QueryService get() {
            QueryService s = service;
            if (s == null) {
                throw new NotReadyException("the service is starting", null);
            }
            return s;
        }
    }

    public HttpApi start(String host, int port) {
        app.start(host, port);
        return this;
    }

    public int port() {
        return app.port();
    }

    /** Starts answering from the stores, and pushing to the QA page every {@code pushIntervalMs}. */
    public void serve(QueryService service, long pushIntervalMs) {
        delegate.service = service;
        pusher.scheduleWithFixedDelay(this::push, 0, pushIntervalMs, TimeUnit.MILLISECONDS);
    }

    private void routes() {
        app.exception(NotReadyException.class, (e, ctx) -> notReady(ctx, e));
        // A store can stop answering between lookup and read (a rebalance): the same 503, retry.
        app.exception(InvalidStateStoreException.class, (e, ctx) -> notReady(ctx, e));
        app.get("/api/models", ctx -> ctx.json(delegate.get().models()));
        app.get("/api/models/{version}/metrics", ctx -> delegate.get().model(ctx.pathParam("version"))
                .ifPresentOrElse(ctx::json, () -> notFound(ctx, "no model version " + ctx.pathParam("version"))));
        app.get("/api/slides/{slideId}", ctx -> delegate.get().slide(ctx.pathParam("slideId"))
                .ifPresentOrElse(ctx::json, () -> notFound(ctx, "no slide " + ctx.pathParam("slideId"))));
        app.get("/api/slides", ctx -> ctx.json(delegate.get().slides(status(ctx), limit(ctx))));

        app.get("/api/internal/models", ctx -> ctx.json(delegate.get().localModels()));
        app.get("/api/internal/models/{key}", ctx -> delegate.get().localModel(ctx.pathParam("key"))
                .ifPresentOrElse(ctx::json, () -> notFound(ctx, "no model " + ctx.pathParam("key"))));
        app.get("/api/internal/slides/{slideId}", ctx -> delegate.get().localSlide(ctx.pathParam("slideId"))
                .ifPresentOrElse(ctx::json, () -> notFound(ctx, "no slide " + ctx.pathParam("slideId"))));
        app.get("/api/internal/slides", ctx -> ctx.json(delegate.get().localSlides(status(ctx), limit(ctx))));

        app.sse("/api/events", client -> {
            client.keepAlive();
            client.onClose(() -> clients.remove(client));
            clients.add(client);
            String snapshot = lastSnapshot;
            if (snapshot != null) {
                client.sendEvent("snapshot", snapshot);
            }
        });
        app.get("/", ctx -> ctx.contentType("text/html; charset=utf-8").result(resource("index.html")));
        app.get("/qa.js", ctx -> ctx.contentType("text/javascript; charset=utf-8").result(resource("qa.js")));
        app.get("/qa.css", ctx -> ctx.contentType("text/css; charset=utf-8").result(resource("qa.css")));
        app.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(prometheus.scrape()));
        app.get("/health", ctx -> {
            String state = health.get();
            ctx.status(state.equals("RUNNING") || state.equals("REBALANCING") ? 200 : 503).json(Map.of("streams", state));
        });
    }

    private static void notReady(Context ctx, Exception e) {
        ctx.status(503).header("Retry-After", "1").json(Map.of("error", String.valueOf(e.getMessage())));
    }

    private static void notFound(Context ctx, String message) {
        ctx.status(404).json(Map.of("error", message));
    }

    /** {@code ?status=complete} or {@code in_progress} (any case); anything else is a 400. */
    private static String status(Context ctx) {
        String s = ctx.queryParam("status");
        if (s == null || s.isBlank()) {
            return null;
        }
        String upper = s.toUpperCase(Locale.ROOT).replace('-', '_');
        if (!upper.equals("COMPLETE") && !upper.equals("IN_PROGRESS")) {
            throw new io.javalin.http.BadRequestResponse("status must be complete or in_progress, not " + s);
        }
        return upper;
    }

    private static int limit(Context ctx) {
        String s = ctx.queryParam("limit");
        try {
            return s == null ? DEFAULT_LIMIT : Math.max(1, Math.min(100_000, Integer.parseInt(s)));
        } catch (NumberFormatException e) {
            throw new io.javalin.http.BadRequestResponse("limit must be a number, not " + s);
        }
    }

    /** What the QA page shows: every model version with windows and ROC, and the newest slides. */
    Map<String, Object> snapshot() {
        QueryService q = delegate.get();
        List<ModelDetail> models = q.models().stream()
                .map(m -> q.model(m.model()).orElse(null))
                .filter(java.util.Objects::nonNull)
                .toList();
        Map<String, Object> snapshot = new LinkedHashMap<>();
        snapshot.put("models", models);
        snapshot.put("slides", q.slides(null, PAGE_SLIDES));
        return snapshot;
    }

    private void push() {
        if (clients.isEmpty()) {
            // Nobody watches: a snapshot scans every slide of every instance, so none is made, and a page that
            // connects gets the next one rather than a stale one.
            lastSnapshot = null;
            return;
        }
        try {
            String json = QueryService.JSON.writeValueAsString(snapshot());
            boolean changed = !json.equals(lastSnapshot);
            lastSnapshot = json;
            for (SseClient client : clients) {
                if (client.terminated()) {
                    clients.remove(client);
                } else if (changed) {
                    client.sendEvent("snapshot", json);
                }
            }
        } catch (NotReadyException | InvalidStateStoreException e) {
            log.debug("QA page push skipped: {}", e.getMessage());
        } catch (JsonProcessingException | RuntimeException e) {
            log.warn("QA page push failed: {}", e.toString());
        }
    }

    private static String resource(String name) {
        try (InputStream in = HttpApi.class.getResourceAsStream("/org/malariastream/metrics/qa/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource qa/" + name);
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        pusher.shutdownNow();
        clients.forEach(SseClient::close);
        app.stop();
    }
}
