package io.smcd.channel;

import io.netty.channel.ChannelOption;
import io.netty.channel.IoEventLoop;
import io.netty.channel.nio.NioIoOps;
import io.netty.channel.socket.DefaultServerSocketChannelConfig;
import io.netty.channel.socket.ServerSocketChannelConfig;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.internal.SocketUtils;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.smcd.sim.SmcdException;
import io.smcd.sim.SmcdReason;
import io.smcd.sim.registry.ListenerSegment;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A TCP {@link io.netty.channel.socket.ServerSocketChannel} whose connections use SMC-D when the client is an smcd
 * channel in the same domain, and TCP otherwise: the drop-in replacement for {@code NioServerSocketChannel}. Once
 * bound, it registers a listener segment in the domain (unless {@link SmcdChannelOption#SMCD_ENABLED} is false); for
 * each accepted connection it claims the client's intent, and only then does the {@link SmcdSocketChannel} it creates
 * speak CLC. Plain TCP clients are served as by NIO and never see a CLC byte.
 *
 * <p>While the application does not accept ({@code autoRead} off and no {@code read()} pending), a listener still takes
 * connections off its socket and negotiates them on its own event loop, as the kernel's listen worker does before
 * {@code accept()}, so clients never wait for the application; up to the backlog of them wait, settled, until it reads.
 * Those connections negotiate with this channel's {@link SmcdChannelOption#SMCD_DEVICES} and
 * {@link SmcdChannelOption#SMCD_DMB_SIZE} (set with {@code option}, as the kernel takes a listening socket's buffer
 * sizes): child options are applied only when the application accepts.
 *
 * <p>Thread-safety: as every Netty channel.
 */
public final class SmcdServerSocketChannel extends NioServerSocketChannel {
    private static final InternalLogger logger = InternalLoggerFactory.getInstance(SmcdServerSocketChannel.class);
    /** How often the slots of clients that died with an intent in flight are freed. */
    private static final long SWEEP_SECONDS = 1;
    /** Connections the listen work takes off the socket per readiness, so one burst does not hold the loop. */
    private static final int LISTEN_WORK_BATCH = 16;

    private final ServerConfig config;
    private SmcdDomainContext domain;
    private ListenerSegment listener;
    private Future<?> sweepingDeadClients;
    /** Connections negotiated while the application does not accept; null unless this server is an SMC-D listener. */
    private SmcdAcceptQueue acceptQueue;
    /** The application asked for connections with {@code read()}; the autoRead one is implied by the option. */
    private boolean acceptRequested;
    private boolean deliveryScheduled;
    /** Why accepted connections use TCP when this server is not an SMC-D listener. */
    private SmcdFallbackReason plainReason = SmcdFallbackReason.PEER_NO_INTENT;

    /** A server channel, as created by {@code ServerBootstrap.channel(SmcdServerSocketChannel.class)}. */
    public SmcdServerSocketChannel() {
        config = new ServerConfig(this, javaChannel().socket());
    }

    @Override
    public ServerSocketChannelConfig config() {
        return config;
    }

    /** Whether clients in the domain can find this server: it is bound and registered as an SMC-D listener. */
    public boolean isSmcdListening() {
        return listener != null;
    }

    @Override
    protected void doBind(SocketAddress localAddress) throws Exception {
        javaChannel().bind(localAddress, config.getBacklog());
        SmcdIoHandler handler = SmcdIoHandler.current();
        if (!config.smcdEnabled) {
            plainReason = SmcdFallbackReason.DISABLED;
            return;
        }
        if (handler == null || handler.domain() == null) {
            plainReason = handler == null ? SmcdFallbackReason.NOT_ON_SMCD_LOOP : handler.unavailableReason();
            logger.debug("smcd: {} accepts TCP only: {}", this, plainReason);
            return;
        }
        SmcdDomainContext context = handler.domain().retain();
        try {
            listener = context.registerListener(localAddress());
            domain = context;
            ListenerSegment segment = listener;
            sweepingDeadClients = eventLoop().scheduleWithFixedDelay(segment::sweepDeadClients, SWEEP_SECONDS,
                    SWEEP_SECONDS, TimeUnit.SECONDS);
            acceptQueue = new SmcdAcceptQueue(config.getBacklog(), this::deliverSettled);
            // Selected from now on, whether or not the application reads: see removeAndSubmit.
            super.addAndSubmit(NioIoOps.ACCEPT);
        } catch (SmcdException e) {
            context.release();
            plainReason = new SmcdFallbackReason(e.reasonCode(), SmcdReason.NONE,
                    "cannot register SMC-D listener: " + e.getMessage());
            logger.debug("smcd: {} accepts TCP only: {}", this, plainReason);
        }
    }

    @Override
    protected int doReadMessages(List<Object> buf) throws Exception {
        if (acceptQueue != null && !wantsConnections()) {
            listenWork();
            return 0;
        }
        SmcdSocketChannel child = acceptQueue != null ? acceptQueue.poll() : null;
        if (child == null) {
            child = acceptChild();
            if (child == null) {
                return 0;
            }
        }
        buf.add(child);
        if (!config.isAutoRead()) {
            acceptRequested = false;
        }
        if (acceptQueue != null && !acceptQueue.isFull()) {
            super.addAndSubmit(NioIoOps.ACCEPT);
        }
        return 1;
    }

    private boolean wantsConnections() {
        return acceptRequested || config.isAutoRead();
    }

    /**
     * Takes connections off the socket while the application does not accept them, and lets them negotiate in the accept
     * queue; once it is full, the socket is no longer selected and the kernel's backlog holds the rest. A failed
     * accept (out of file descriptors, say) also stops it until the application reads, which would otherwise see the
     * failure again at every pass.
     */
    private void listenWork() throws Exception {
        for (int i = 0; i < LISTEN_WORK_BATCH; i++) {
            if (acceptQueue.isFull()) {
                super.removeAndSubmit(NioIoOps.ACCEPT);
                return;
            }
            SmcdSocketChannel child;
            try {
                child = acceptChild();
            } catch (IOException e) {
                super.removeAndSubmit(NioIoOps.ACCEPT);
                throw e;
            }
            if (child == null) {
                return;
            }
            child.config().setOption(SmcdChannelOption.SMCD_DEVICES, config.devices);
            child.config().setOption(SmcdChannelOption.SMCD_DMB_SIZE, config.dmbSize);
            acceptQueue.add(child, (IoEventLoop) eventLoop());
        }
    }

    /** Hands settled connections to an application that asked for connections while none was ready. */
    private void deliverSettled() {
        if (deliveryScheduled || !wantsConnections() || !acceptQueue.hasSettled()) {
            return;
        }
        deliveryScheduled = true;
        eventLoop().execute(() -> {
            deliveryScheduled = false;
            if (isOpen() && acceptQueue != null && wantsConnections() && acceptQueue.hasSettled()) {
                unsafe().read();
            }
        });
    }

    @Override
    protected void doBeginRead() throws Exception {
        acceptRequested = true;
        super.doBeginRead();
        if (acceptQueue != null) {
            deliverSettled();
        }
    }

    @Override
    protected void removeAndSubmit(NioIoOps removeOps) {
        if (acceptQueue != null && removeOps.equals(NioIoOps.ACCEPT)) {
            // The listen work keeps taking connections while the application does not read (listenWork deselects).
            return;
        }
        super.removeAndSubmit(removeOps);
    }

    /** The next connection on the socket as a channel, or null if none is queued or its channel could not be made. */
    private SmcdSocketChannel acceptChild() throws Exception {
        SocketChannel ch = SocketUtils.accept(javaChannel());
        if (ch == null) {
            return null;
        }
        try {
            return newChild(ch);
        } catch (Throwable t) {
            logger.warn("Failed to create a new channel from an accepted socket.", t);
            try {
                ch.close();
            } catch (Throwable t2) {
                logger.warn("Failed to close a socket.", t2);
            }
            return null;
        }
    }

    private SmcdSocketChannel newChild(SocketChannel ch) throws Exception {
        if (domain == null) {
            return new SmcdSocketChannel(this, ch, plainReason);
        }
        ListenerSegment.Lookup lookup = listener.find((InetSocketAddress) ch.getRemoteAddress(),
                (InetSocketAddress) ch.getLocalAddress());
        if ((lookup.intent() == null && !lookup.unsettled()) || !listener.retain()) {
            return new SmcdSocketChannel(this, ch, SmcdFallbackReason.PEER_NO_INTENT);
        }
        return new SmcdSocketChannel(this, ch, domain.retain(), listener, lookup.intent());
    }

    @Override
    protected void doClose() throws Exception {
        try {
            if (acceptQueue != null) {
                acceptQueue.close();
                acceptQueue = null;
            }
            if (listener != null) {
                sweepingDeadClients.cancel(false);
                domain.unregisterListener(listener);
                listener = null;
            }
            if (domain != null) {
                domain.release();
                domain = null;
            }
        } finally {
            super.doClose();
        }
    }

    /**
     * Netty's server socket options plus {@link SmcdChannelOption#SMCD_ENABLED}, and the devices and DMB size of the
     * connections negotiated before the application accepts them.
     */
    private final class ServerConfig extends DefaultServerSocketChannelConfig {
        private volatile boolean smcdEnabled = true;
        private volatile List<SmcdMode> devices = SmcdSocketChannelConfig.DEFAULT_DEVICES;
        private volatile int dmbSize = SmcdSocketChannelConfig.DEFAULT_DMB_SIZE;

        ServerConfig(SmcdServerSocketChannel channel, ServerSocket socket) {
            super(channel, socket);
        }

        @Override
        protected void autoReadCleared() {
            acceptRequested = false;
            clearReadPending();
        }

        @Override
        public Map<ChannelOption<?>, Object> getOptions() {
            return getOptions(super.getOptions(), SmcdChannelOption.SMCD_ENABLED, SmcdChannelOption.SMCD_DEVICES,
                    SmcdChannelOption.SMCD_DMB_SIZE);
        }

        @SuppressWarnings("unchecked")
        @Override
        public <T> T getOption(ChannelOption<T> option) {
            if (option == SmcdChannelOption.SMCD_ENABLED) {
                return (T) Boolean.valueOf(smcdEnabled);
            }
            if (option == SmcdChannelOption.SMCD_DEVICES) {
                return (T) devices;
            }
            if (option == SmcdChannelOption.SMCD_DMB_SIZE) {
                return (T) Integer.valueOf(dmbSize);
            }
            return super.getOption(option);
        }

        @SuppressWarnings("unchecked")
        @Override
        public <T> boolean setOption(ChannelOption<T> option, T value) {
            validate(option, value);
            if (option == SmcdChannelOption.SMCD_ENABLED) {
                smcdEnabled = (Boolean) value;
            } else if (option == SmcdChannelOption.SMCD_DEVICES) {
                devices = SmcdSocketChannelConfig.checkDevices((List<SmcdMode>) value);
            } else if (option == SmcdChannelOption.SMCD_DMB_SIZE) {
                dmbSize = SmcdSocketChannelConfig.checkDmbSize((Integer) value);
            } else {
                return super.setOption(option, value);
            }
            return true;
        }
    }
}
