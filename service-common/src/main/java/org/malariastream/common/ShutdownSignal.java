package org.malariastream.common;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * SIGTERM or Ctrl-C for a long-running command: {@link #await} returns when the signal comes, and the JVM
 * waits (up to the grace period) until the command has stopped its services cleanly and called
 * {@link #release}. So closing happens on the command's own thread, in its try-with-resources, and not in a
 * shutdown hook racing it.
 */
public final class ShutdownSignal {
    private final CountDownLatch signalled = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);

    private ShutdownSignal() {}

    /** Installs the JVM shutdown hook; {@code grace} is the longest the JVM waits for {@link #release}. */
    public static ShutdownSignal install(String name, Duration grace) {
        ShutdownSignal signal = new ShutdownSignal();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            signal.signalled.countDown();
            try {
                signal.released.await(grace.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException ignored) {
                // the JVM is going down anyway
            }
        }, name + "-shutdown"));
        return signal;
    }

    /** Blocks until the signal. */
    public void await() throws InterruptedException {
        signalled.await();
    }

    /** Blocks until the signal or the timeout; true when signalled. */
    public boolean await(Duration timeout) throws InterruptedException {
        return signalled.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The command has stopped what it ran: the JVM may exit. */
    public void release() {
        released.countDown();
    }
}
