package io.smcd.sim.conn;

import io.smcd.sim.SmcdConnection;
import io.smcd.sim.SmcdException;

import java.time.Duration;

/**
 * One thread driving both halves of one connection, as an event loop does: a write attempt, a read
 * attempt, and a yield when neither moved anything. Fails when the deadline passes, or when nothing moved
 * for a while and the peer process is gone (so a child never outlives its parent for long). Not
 * thread-safe.
 */
final class StreamPump {
    private static final long PEER_CHECK_NANOS = Duration.ofSeconds(1).toNanos();

    private final SmcdConnection connection;
    final StreamSender sender;
    final StreamReceiver receiver;

    StreamPump(SmcdConnection connection, StreamSender sender, StreamReceiver receiver) {
        this.connection = connection;
        this.sender = sender;
        this.receiver = receiver;
    }

    /** One write attempt and one read attempt; whether either moved anything. */
    boolean step() throws SmcdException {
        boolean wrote = sender.step();
        boolean read = receiver.step();
        return wrote || read;
    }

    /** Steps until everything was sent and end of stream was read. */
    void run(Duration bound) throws SmcdException {
        Deadline deadline = Deadline.in(bound);
        int idle = 0;
        long lastProgress = System.nanoTime();
        while (!(sender.isDone() && receiver.isDone())) {
            if (step()) {
                idle = 0;
                lastProgress = System.nanoTime();
                continue;
            }
            Deadline.idle(++idle);
            if ((idle & 1023) == 0) {
                deadline.check(this::toString);
                if (System.nanoTime() - lastProgress > PEER_CHECK_NANOS && !connection.isPeerAlive()) {
                    throw new AssertionError("peer process died: " + this);
                }
            }
        }
    }

    @Override
    public String toString() {
        return sender + " " + receiver + " on " + connection;
    }
}
