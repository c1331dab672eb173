package io.smcd.channel;

import io.netty.channel.ChannelOption;
import io.netty.channel.socket.DefaultServerSocketChannelConfig;
import io.netty.channel.socket.ServerSocketChannelConfig;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.internal.SocketUtils;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.smcd.sim.SmcdException;
import io.smcd.sim.SmcdReason;
import io.smcd.sim.registry.ListenerSegment;
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
 * <p>Thread-safety: as every Netty channel.
 */
public final class SmcdServerSocketChannel extends NioServerSocketChannel {
    private static final InternalLogger logger = InternalLoggerFactory.getInstance(SmcdServerSocketChannel.class);
    /** How often the slots of clients that died with an intent in flight are freed. */
    private static final long SWEEP_SECONDS = 1;

    private final ServerConfig config;
    private SmcdDomainContext domain;
    private ListenerSegment listener;
    private Future<?> sweepingDeadClients;
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
        } catch (SmcdException e) {
            context.release();
            plainReason = new SmcdFallbackReason(e.reasonCode(), SmcdReason.NONE,
                    "cannot register SMC-D listener: " + e.getMessage());
            logger.debug("smcd: {} accepts TCP only: {}", this, plainReason);
        }
    }

    @Override
    protected int doReadMessages(List<Object> buf) throws Exception {
        SocketChannel ch = SocketUtils.accept(javaChannel());
        if (ch == null) {
            return 0;
        }
        try {
            buf.add(newChild(ch));
            return 1;
        } catch (Throwable t) {
            logger.warn("Failed to create a new channel from an accepted socket.", t);
            try {
                ch.close();
            } catch (Throwable t2) {
                logger.warn("Failed to close a socket.", t2);
            }
            return 0;
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

    /** Netty's server socket options plus {@link SmcdChannelOption#SMCD_ENABLED}. */
    private final class ServerConfig extends DefaultServerSocketChannelConfig {
        private volatile boolean smcdEnabled = true;

        ServerConfig(SmcdServerSocketChannel channel, ServerSocket socket) {
            super(channel, socket);
        }

        @Override
        protected void autoReadCleared() {
            clearReadPending();
        }

        @Override
        public Map<ChannelOption<?>, Object> getOptions() {
            return getOptions(super.getOptions(), SmcdChannelOption.SMCD_ENABLED);
        }

        @SuppressWarnings("unchecked")
        @Override
        public <T> T getOption(ChannelOption<T> option) {
            if (option == SmcdChannelOption.SMCD_ENABLED) {
                return (T) Boolean.valueOf(smcdEnabled);
            }
            return super.getOption(option);
        }

        @Override
        public <T> boolean setOption(ChannelOption<T> option, T value) {
            validate(option, value);
            if (option == SmcdChannelOption.SMCD_ENABLED) {
                smcdEnabled = (Boolean) value;
                return true;
            }
            return super.setOption(option, value);
        }
    }
}
