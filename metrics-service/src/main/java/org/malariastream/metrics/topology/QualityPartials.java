package org.malariastream.metrics.topology;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.malariastream.metrics.cells.CellState;
import org.malariastream.metrics.quality.QualityAggregate;

/**
 * One task's (one input partition's) quality aggregates per model version, cumulative and per tumbling
 * window, held in memory. They are a pure function of the task's cell store: rebuilt from it whenever the
 * task starts, and otherwise moved by each cell change. So they need no store of their own, cost nothing per
 * record beyond a few array increments, and stay exact under exactly-once (an aborted transaction rolls the
 * cell store back and the task is re-initialised, which rebuilds them).
 */
final class QualityPartials {
    private record Key(String modelName, String modelVersion, long windowStart) {}

    private final long windowMs;
    private final long retentionMs;
    private final Map<Key, QualityAggregate> aggregates = new HashMap<>();
    private final Map<String, TreeMap<Long, Key>> windowsByModel = new HashMap<>();
    private final Set<Key> dirty = new LinkedHashSet<>();

    QualityPartials(long windowMs, long retentionMs) {
        this.windowMs = windowMs;
        this.retentionMs = retentionMs;
    }

    long windowStart(long classifiedAt) {
        return Math.floorDiv(classifiedAt, windowMs) * windowMs;
    }

    /** Adds (+1) or removes (-1) a cell's contribution: each model version's prediction, when labelled. */
    void apply(CellState cell, int sign) {
        if (cell == null || cell.label() == null) {
            return;
        }
        for (CellState.Prediction p : cell.predictions()) {
            apply(p, cell.label(), sign);
        }
    }

    private void apply(CellState.Prediction p, boolean labelledParasitized, int sign) {
        Key cumulative = new Key(p.modelName(), p.modelVersion(), QualitySnapshot.CUMULATIVE);
        add(cumulative, p, labelledParasitized, sign);
        long start = windowStart(p.classifiedAt());
        TreeMap<Long, Key> windows = windowsByModel.computeIfAbsent(p.modelKey(), k -> new TreeMap<>());
        if (!windows.isEmpty() && start < windows.lastKey() - retentionMs) {
            return; // a change to a window past retention: it only moves the cumulative figures
        }
        Key window = windows.computeIfAbsent(start, s -> new Key(p.modelName(), p.modelVersion(), s));
        add(window, p, labelledParasitized, sign);
        evictExpired(windows);
    }

    private void add(Key key, CellState.Prediction p, boolean labelledParasitized, int sign) {
        aggregates.computeIfAbsent(key, k -> new QualityAggregate())
                .add(p.parasitized(), p.probability(), labelledParasitized, sign);
        dirty.add(key);
    }

    private void evictExpired(TreeMap<Long, Key> windows) {
        long cutoff = windows.lastKey() - retentionMs;
        while (windows.firstKey() < cutoff) {
            Key expired = windows.pollFirstEntry().getValue();
            aggregates.remove(expired);
            dirty.remove(expired);
        }
    }

    /** Snapshots of everything that changed since the last call, then forgets the changes. */
    List<QualitySnapshot> drainChanged(int partition) {
        List<QualitySnapshot> out = new ArrayList<>(dirty.size());
        for (Key k : dirty) {
            QualityAggregate a = aggregates.get(k);
            if (a != null) {
                out.add(new QualitySnapshot(k.modelName(), k.modelVersion(), partition, k.windowStart(), a.copy()));
            }
        }
        dirty.clear();
        return out;
    }

    void clear() {
        aggregates.clear();
        windowsByModel.clear();
        dirty.clear();
    }

    int size() {
        return aggregates.size();
    }
}
