package org.malariastream.metrics.topology;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.malariastream.metrics.quality.QualityAggregate;

/**
 * One input partition's share of a model version's quality, cumulative or for one window. A newer snapshot
 * of the same (model, window, partition) replaces the older one, so re-sending a snapshot is harmless.
 *
 * @param windowStart {@link #CUMULATIVE} for the all-time figures
 */
public record QualitySnapshot(String modelName, String modelVersion, int partition, long windowStart,
        QualityAggregate aggregate) {
    public static final long CUMULATIVE = Long.MIN_VALUE;

    public boolean isCumulative() {
        return windowStart == CUMULATIVE;
    }

    public byte[] toBytes() {
        byte[] name = modelName.getBytes(StandardCharsets.UTF_8);
        byte[] version = modelVersion.getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(4 + name.length + 4 + version.length + 4 + 8 + aggregate.maxEncodedSize());
        out.putInt(name.length).put(name).putInt(version.length).put(version).putInt(partition).putLong(windowStart);
        aggregate.writeTo(out);
        byte[] bytes = new byte[out.position()];
        out.flip().get(bytes);
        return bytes;
    }

    public static QualitySnapshot fromBytes(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        byte[] name = new byte[in.getInt()];
        in.get(name);
        byte[] version = new byte[in.getInt()];
        in.get(version);
        int partition = in.getInt();
        long windowStart = in.getLong();
        return new QualitySnapshot(new String(name, StandardCharsets.UTF_8), new String(version, StandardCharsets.UTF_8),
                partition, windowStart, QualityAggregate.readFrom(in));
    }

    public static Serde<QualitySnapshot> serde() {
        return Serdes.serdeFrom((topic, s) -> s == null ? null : s.toBytes(),
                (topic, b) -> b == null ? null : fromBytes(b));
    }
}
