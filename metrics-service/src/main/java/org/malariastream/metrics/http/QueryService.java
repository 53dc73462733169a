package org.malariastream.metrics.http;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.malariastream.metrics.slides.SlideState;
import org.malariastream.metrics.topology.MetricsTopology;
import org.malariastream.metrics.topology.ModelView;

/**
 * Answers the REST API from the Streams state stores of every instance (interactive queries). A key lives on
 * one instance: Streams' metadata says which, and a key owned elsewhere is fetched from that instance's
 * internal endpoint. Listings ask every instance for its local part and merge.
 */
public final class QueryService {
    static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final StringSerializer KEYS = new StringSerializer();

    private final KafkaStreams streams;
    private final HostInfo self;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    private final double slidePriorSharpen;

    /** @param slidePriorSharpen the sharpening of the slide-aware parasitaemia ({@link MetricsSettings}) */
    public QueryService(KafkaStreams streams, HostInfo self, double slidePriorSharpen) {
        this.streams = streams;
        this.self = self;
        this.slidePriorSharpen = slidePriorSharpen;
    }

    // --- models ---

    /** The cumulative figures of every model version, all instances together. */
    public List<ModelView> models() {
        List<ModelView> all = new ArrayList<>(localModels());
        for (HostInfo host : otherHosts(MetricsTopology.MODEL_METRICS_STORE)) {
            all.addAll(fetch(host, "/api/internal/models", new TypeReference<List<ModelView>>() {}).orElse(List.of()));
        }
        all.sort(Comparator.comparing(ModelView::model));
        return all;
    }

    public List<ModelView> localModels() {
        List<ModelView> out = new ArrayList<>();
        if (!runsTaskWith(MetricsTopology.MODEL_METRICS_STORE)) {
            return out;
        }
        try (KeyValueIterator<String, ModelView> it = modelStore().all()) {
            it.forEachRemaining(kv -> {
                if (kv.value.isCumulative()) {
                    out.add(kv.value);
                }
            });
        }
        return out;
    }

    /**
     * A model version by its version ({@code 1.0.0}) or its full key ({@code name:1.0.0}). Several model
     * names with the same version: the first by name; pass the full key to choose.
     */
    public Optional<ModelDetail> model(String version) {
        Optional<String> key = models().stream()
                .filter(m -> m.model().equals(version) || m.modelVersion().equals(version))
                .map(ModelView::model)
                .findFirst();
        if (key.isEmpty()) {
            return Optional.empty();
        }
        HostInfo owner = owner(MetricsTopology.MODEL_METRICS_STORE, key.get());
        if (owner == null || owner.equals(self)) {
            return localModel(key.get());
        }
        return fetch(owner, "/api/internal/models/" + encode(key.get()), new TypeReference<ModelDetail>() {});
    }

    public Optional<ModelDetail> localModel(String modelKey) {
        ModelView cumulative = null;
        List<ModelView> windows = new ArrayList<>();
        try (KeyValueIterator<String, ModelView> it = modelStore().prefixScan(modelKey + "|", KEYS)) {
            while (it.hasNext()) {
                ModelView v = it.next().value;
                if (!v.model().equals(modelKey)) {
                    continue;
                }
                if (v.isCumulative()) {
                    cumulative = v;
                } else {
                    windows.add(v);
                }
            }
        }
        if (cumulative == null) {
            return Optional.empty();
        }
        windows.sort(Comparator.comparing(ModelView::windowStart));
        return Optional.of(new ModelDetail(modelKey, cumulative.modelName(), cumulative.modelVersion(), cumulative, windows));
    }

    // --- slides ---

    public Optional<SlideView> slide(String slideId) {
        HostInfo owner = owner(MetricsTopology.SLIDES_STORE, slideId);
        if (owner == null || owner.equals(self)) {
            return localSlide(slideId);
        }
        return fetch(owner, "/api/internal/slides/" + encode(slideId), new TypeReference<SlideView>() {});
    }

    public Optional<SlideView> localSlide(String slideId) {
        SlideState s = slideStore().get(slideId);
        return s == null || s.classified() == 0 ? Optional.empty() : Optional.of(SlideView.of(s, slidePriorSharpen));
    }

    /** Slides with at least one prediction, newest first; {@code status} COMPLETE or IN_PROGRESS, or null for all. */
    public List<SlideView> slides(String status, int limit) {
        List<SlideView> all = new ArrayList<>(localSlides(status, limit));
        for (HostInfo host : otherHosts(MetricsTopology.SLIDES_STORE)) {
            String query = "/api/internal/slides?limit=" + limit + (status == null ? "" : "&status=" + encode(status));
            all.addAll(fetch(host, query, new TypeReference<List<SlideView>>() {}).orElse(List.of()));
        }
        return newestFirst(all, limit);
    }

    public List<SlideView> localSlides(String status, int limit) {
        List<SlideView> out = new ArrayList<>();
        if (!runsTaskWith(MetricsTopology.SLIDES_STORE)) {
            return out;
        }
        try (KeyValueIterator<String, SlideState> it = slideStore().all()) {
            while (it.hasNext()) {
                SlideState s = it.next().value;
                if (s.classified() == 0) {
                    continue;
                }
                SlideView v = SlideView.of(s, slidePriorSharpen);
                if (status == null || status.equalsIgnoreCase(v.status())) {
                    out.add(v);
                }
            }
        }
        return newestFirst(out, limit);
    }

    private static List<SlideView> newestFirst(List<SlideView> slides, int limit) {
        return slides.stream()
                .sorted(Comparator.comparingLong(SlideView::updatedAt).reversed().thenComparing(SlideView::slideId))
                .limit(limit)
                .toList();
    }

    // --- interactive-query plumbing ---

    private ReadOnlyKeyValueStore<String, ModelView> modelStore() {
        return store(MetricsTopology.MODEL_METRICS_STORE);
    }

    private ReadOnlyKeyValueStore<String, SlideState> slideStore() {
        return store(MetricsTopology.SLIDES_STORE);
    }

    private <V> ReadOnlyKeyValueStore<String, V> store(String name) {
        try {
            return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, V>keyValueStore()));
        } catch (InvalidStateStoreException e) {
            throw new NotReadyException("store " + name + " is not queryable now (" + streams.state() + ")", e);
        }
    }

    /**
     * Whether this instance runs an active task with the store, and so has a part of it to list. It may run none:
     * with more instances than partitions, or when it is given tasks of the other sub-topology only. Its local
     * store would then never become queryable, and a listing that waited for it would answer 503 for good. While
     * the group rebalances, the store itself says whether it is ready.
     */
    private boolean runsTaskWith(String store) {
        if (streams.state() != KafkaStreams.State.RUNNING) {
            return true;
        }
        return streams.streamsMetadataForStore(store).stream()
                .anyMatch(m -> m.hostInfo().equals(self) && m.stateStoreNames().contains(store));
    }

    private HostInfo owner(String store, String key) {
        KeyQueryMetadata meta = streams.queryMetadataForKey(store, key, KEYS);
        if (meta == null || KeyQueryMetadata.NOT_AVAILABLE.equals(meta)) {
            throw new NotReadyException("no instance owns " + store + " key " + key + " now (" + streams.state() + ")", null);
        }
        return meta.activeHost();
    }

    private List<HostInfo> otherHosts(String store) {
        List<HostInfo> hosts = new ArrayList<>();
        for (StreamsMetadata m : streams.streamsMetadataForStore(store)) {
            if (!m.hostInfo().equals(self) && !hosts.contains(m.hostInfo())) {
                hosts.add(m.hostInfo());
            }
        }
        return hosts;
    }

    private <T> Optional<T> fetch(HostInfo host, String path, TypeReference<T> type) {
        URI uri = URI.create("http://" + host.host() + ":" + host.port() + path);
        try {
            HttpResponse<byte[]> res = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (res.statusCode() == 404) {
                return Optional.empty();
            }
            if (res.statusCode() != 200) {
                throw new NotReadyException("instance " + host + " answered " + res.statusCode() + " for " + path, null);
            }
            return Optional.of(JSON.readValue(res.body(), type));
        } catch (IOException e) {
            throw new NotReadyException("instance " + host + " did not answer " + path + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotReadyException("interrupted while asking " + host, e);
        }
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
