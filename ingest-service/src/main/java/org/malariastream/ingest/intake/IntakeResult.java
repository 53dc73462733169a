package org.malariastream.ingest.intake;

import org.malariastream.avro.DeadLetterReason;

/** What became of a submission: published and acknowledged by Kafka, or rejected for a reason. */
public sealed interface IntakeResult {
    /** Kafka acknowledged the event ({@code acks=all}). */
    record Accepted(String eventId, int partition, long offset) implements IntakeResult {}

    /** The input was refused; it went to the dead-letter topic unless {@code deadLettered} is false. */
    record Rejected(DeadLetterReason reason, String message, boolean deadLettered) implements IntakeResult {}
}
