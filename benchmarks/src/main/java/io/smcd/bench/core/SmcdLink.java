package io.smcd.bench.core;

import io.smcd.bench.common.Liveness;
import io.smcd.sim.SmcdConnection;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A {@link Link} over the SMC-D core alone: every wait is a busy spin with {@link Thread#onSpinWait()},
 * nobody ever sleeps, so the doorbell is never armed. This measures the ceiling of the core, not the
 * transport's idle strategy. Not thread-safe.
 */
final class SmcdLink implements Link {
    /** Empty spins between two liveness checks: rare enough to cost nothing, frequent enough to fail within ms. */
    private static final int LIVENESS_MASK = (1 << 16) - 1;

    private final String name;
    private final SmcdConnection connection;
    private final Liveness liveness;

    SmcdLink(String name, SmcdConnection connection, Liveness liveness) {
        this.name = name;
        this.connection = connection;
        this.liveness = liveness;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (!dst.hasRemaining()) {
            return 0;
        }
        int spins = 0;
        while (true) {
            int n = connection.read(dst);
            if (n != 0) {
                return n;
            }
            Thread.onSpinWait();
            if ((++spins & LIVENESS_MASK) == 0) {
                liveness.check();
            }
        }
    }

    @Override
    public void writeFully(ByteBuffer src) throws IOException {
        int spins = 0;
        while (src.hasRemaining()) {
            // Spin on the free space rather than on write(): a write into a full ring sets writeBlocked in
            // the peer's DMB and fences, which would add shared-line traffic to what is being measured.
            if (connection.writableBytes() == 0) {
                Thread.onSpinWait();
                if ((++spins & LIVENESS_MASK) == 0) {
                    liveness.check();
                }
                continue;
            }
            connection.write(src);
        }
    }

    @Override
    public void shutdownOutput() throws IOException {
        connection.shutdownOutput();
    }

    @Override
    public void close() {
        connection.close();
    }
}
