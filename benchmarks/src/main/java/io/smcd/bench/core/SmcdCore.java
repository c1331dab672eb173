package io.smcd.bench.core;

import io.smcd.sim.CopyIsmDevice;
import io.smcd.sim.DmbSegment;
import io.smcd.sim.IsmDevice;
import io.smcd.sim.LoopbackIsmDevice;
import io.smcd.sim.SmcdConnection;
import io.smcd.sim.SmcdDomain;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The one place where the benchmarks set up SMC-D core connections without Netty (CoreBench, its peer and the JMH
 * benches): a domain with its two devices, and connections paired the way the CLC exchange pairs them. One side
 * registers its RMB and names it by token, the other registers its own and joins this one's; then the first joins
 * the second's. Whoever adapts the benchmarks to a new buffer API changes this class only.
 *
 * <p>Thread-safe as far as the core's domain and devices are; a {@link HalfConnection} belongs to one thread.
 */
public final class SmcdCore implements AutoCloseable {
    private final SmcdDomain domain;
    private final IsmDevice loopback;
    private final IsmDevice copy;

    private SmcdCore(SmcdDomain domain) {
        this.domain = domain;
        this.loopback = new LoopbackIsmDevice(domain);
        this.copy = new CopyIsmDevice(domain);
    }

    /** Opens (and creates) the domain in {@code directory}. */
    public static SmcdCore open(Path directory) throws IOException {
        return new SmcdCore(SmcdDomain.open(directory));
    }

    /** Registers this side's RMB of {@code ringSize} bytes on the {@code copy} or the loopback device. */
    public HalfConnection register(boolean copyDevice, int ringSize) throws IOException {
        IsmDevice device = copyDevice ? copy : loopback;
        return new HalfConnection(device, device.registerDmb(ringSize));
    }

    /** Closes the domain; the last member removes it. */
    @Override
    public void close() {
        domain.close();
    }

    /** A registered RMB waiting for the peer's: {@link #join} it, or {@link #abandon} it if that fails. */
    public static final class HalfConnection {
        private final IsmDevice device;
        private final DmbSegment rmb;

        private HalfConnection(IsmDevice device, DmbSegment rmb) {
            this.device = device;
            this.rmb = rmb;
        }

        /** The token the peer joins this RMB by. */
        public long token() {
            return rmb.token();
        }

        /**
         * The connection to the peer's RMB {@code peerToken}, which has this RMB's size. Nobody arms a doorbell in a
         * pure spin loop, so the core never rings the one given here.
         */
        public SmcdConnection join(long peerToken) throws IOException {
            return new SmcdConnection(device, rmb, device.attachDmb(peerToken, rmb.ringSize()), () -> { });
        }

        /** Releases the RMB when no connection was made of it. */
        public void abandon() {
            device.unregisterDmb(rmb);
        }
    }
}
