package io.smcd.channel;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEvent;
import io.netty.channel.IoRegistration;
import io.netty.channel.nio.NioIoEvent;
import io.netty.channel.nio.NioIoOps;
import io.netty.channel.socket.ChannelOutputShutdownEvent;
import io.netty.channel.socket.ChannelOutputShutdownException;
import io.netty.channel.socket.SocketChannelConfig;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.smcd.sim.ConnectionCounters;
import io.smcd.sim.IsmDevice;
import io.smcd.sim.SmcdConnection;
import io.smcd.sim.SmcdException;
import io.smcd.sim.SmcdReason;
import io.smcd.sim.handshake.ClcAcceptorHandshake;
import io.smcd.sim.handshake.ClcProposerHandshake;
import io.smcd.sim.handshake.LinkGroupJoin;
import io.smcd.sim.registry.ClientIntent;
import io.smcd.sim.registry.Listener;
import io.smcd.sim.registry.ListenerSegment;
import io.smcd.sim.registry.PendingIntent;
import io.smcd.sim.stats.ConnectionRecord;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Executor;

/**
 * A TCP {@link io.netty.channel.socket.SocketChannel} that moves its data into shared memory when the peer is an smcd
 * channel in the same SMC-D domain, and otherwise stays plain TCP: the drop-in replacement for
 * {@code NioSocketChannel}.
 *
 * <p>A connection starts as TCP. A client whose destination has a live smcd listener in the domain binds, publishes
 * an intent and connects; the server claims the intent on accept and speaks CLC first; both ends then exchange DMB
 * tokens and switch to their RMBs. {@code channelActive} (and the connect future) come after the handshake, so
 * {@link #mode()} is final by then. Any failure before data falls back to TCP on the same socket and is recorded in
 * {@link #fallbackReason()}; a plain peer never sees a CLC byte.
 *
 * <p>Thread-safety: as every Netty channel; {@link #mode()} and {@link #fallbackReason()} may be read from any thread.
 */
public final class SmcdSocketChannel extends NioSocketChannel {
    private static final InternalLogger logger = InternalLoggerFactory.getInstance(SmcdSocketChannel.class);
    /** How often a server re-reads its segment for the intent of a connection accepted before the intent was published. */
    private static final long INTENT_RECHECK_MICROS = 20;
    /** How long it waits for that intent at most: a client publishes microseconds after its connect(). */
    private static final long INTENT_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final SmcdSocketChannelConfig config;
    /** Set by the server channel for an accepted connection whose client published an intent; claimed on registration. */
    private SmcdDomainContext claimedDomain;
    /** The listener the intent is in, retained until the claim. */
    private ListenerSegment intentListener;
    private PendingIntent pendingIntent;

    private ClcNegotiation negotiation;
    /** While the server's loop negotiates this accepted connection before the application accepts it; else null. */
    private ListenWork listenWork;
    /** True from the start of a negotiation until the channel activates with its outcome. */
    private boolean clcPending;
    private IOException clcFailure;
    private SmcdDataPath dataPath;
    private ByteBuf pendingInbound;
    /** A read requested before the channel was active (e.g. in initChannel with autoRead off), applied on activation. */
    private boolean readRequested;
    /** Over TCP: how often the socket was readable with nothing queued and no read requested (probeForEndOfStream). */
    private int tcpEndsSeen;

    private volatile SmcdMode mode = SmcdMode.TCP;
    private volatile SmcdFallbackReason fallbackReason;
    /** Where this channel is counted from activation to close; null if it runs outside any domain. */
    private DomainStatistics statistics;
    private boolean counted;

    /** A client channel, as created by {@code Bootstrap.channel(SmcdSocketChannel.class)}. */
    public SmcdSocketChannel() {
        super();
        config = newConfig();
    }

    /**
     * An accepted connection whose client published {@code intent} in {@code listener} (retained for this channel), or
     * reserved one there not yet published ({@code intent} null): the channel claims it once registered, when its options
     * are set, and negotiates in {@code domain}.
     */
    SmcdSocketChannel(SmcdServerSocketChannel parent, SocketChannel socket, SmcdDomainContext domain,
            ListenerSegment listener, PendingIntent intent) {
        super(parent, socket);
        config = newConfig();
        this.claimedDomain = domain;
        this.intentListener = listener;
        this.pendingIntent = intent;
        this.clcPending = true;
    }

    /** An accepted connection that is plain TCP, for {@code plainReason}. */
    SmcdSocketChannel(SmcdServerSocketChannel parent, SocketChannel socket, SmcdFallbackReason plainReason) {
        super(parent, socket);
        config = newConfig();
        this.fallbackReason = plainReason;
    }

    private SmcdSocketChannelConfig newConfig() {
        return new SmcdSocketChannelConfig(this, javaChannel().socket(), this::clearReadPending);
    }

    /** How this connection carries data: the SMC-D device, or TCP. Final once the channel is active. */
    public SmcdMode mode() {
        return mode;
    }

    /** Why this connection runs over TCP, once active in {@link SmcdMode#TCP}; null over SMC-D or before. */
    public SmcdFallbackReason fallbackReason() {
        return fallbackReason;
    }

    /** This connection's figures now: mode, buffers, cursors, traffic. Callable from any thread. */
    public SmcdConnectionStatistics statistics() {
        SmcdMode m = mode;
        SmcdFallbackReason reason = fallbackReason;
        // mode is written after dataPath (clcSucceeded), so reading it first makes an SMC-D channel's path visible.
        SmcdDataPath path = m.isSmcd() ? dataPath : null;
        String state = isInputShutdown() ? (isOutputShutdown() ? "CLOSING" : "PEERCLW")
                : isOutputShutdown() ? "APPCLW" : "ACTIVE";
        String role = parent() == null ? "CLIENT" : "SERVER";
        if (path == null) {
            ConnectionRecord record = new ConnectionRecord(state, role, m.name(),
                    reason != null ? reason.localCode() : SmcdReason.NONE, reason != null ? reason.peerCode() : SmcdReason.NONE,
                    localAddress(), remoteAddress(), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
            return new SmcdConnectionStatistics(m, reason, record, 0, 0, 0, 0, 0, 0);
        }
        SmcdConnection connection = path.connection();
        ConnectionCounters c = connection.counters();
        ConnectionRecord record = new ConnectionRecord(state, role, m.name(), SmcdReason.NONE, SmcdReason.NONE,
                localAddress(), remoteAddress(), connection.peerDmb().owner().pid(), connection.rmb().token(),
                connection.rmb().ringSize(), connection.peerDmb().token(), connection.peerDmb().ringSize(), c.bytesSent(),
                c.bytesReceived(), c.txProducer(), c.txConsumer(), c.rxProducer(), c.rxConsumer());
        return new SmcdConnectionStatistics(m, null, record, c.writes(), c.reads(), c.sendRingFull(), c.receiveRingFull(),
                c.doorbellsSent(), c.doorbellsReceived());
    }

    /** The SMC-D connection's counters, or null over TCP. Callable from any thread, as {@link #statistics()}. */
    ConnectionCounters counters() {
        SmcdConnection connection = connection();
        return connection != null ? connection.counters() : null;
    }

    /** The SMC-D connection under this channel, or null over TCP. Callable from any thread, as {@link #statistics()}. */
    SmcdConnection connection() {
        SmcdMode m = mode;
        // mode is written after dataPath (clcSucceeded), so reading it first makes an SMC-D channel's path visible.
        return m.isSmcd() ? dataPath.connection() : null;
    }

    @Override
    public SocketChannelConfig config() {
        return config;
    }

    @Override
    public SmcdServerSocketChannel parent() {
        return (SmcdServerSocketChannel) super.parent();
    }

    SocketChannel socket() {
        return javaChannel();
    }

    @Override
    public boolean isActive() {
        return !clcPending && super.isActive();
    }

    @Override
    public boolean isInputShutdown() {
        SmcdDataPath path = dataPath;
        return path != null ? path.isInputShutdown() || !isActive() : super.isInputShutdown();
    }

    @Override
    public boolean isOutputShutdown() {
        SmcdDataPath path = dataPath;
        return path != null ? path.isOutputShutdown() || !isActive() : super.isOutputShutdown();
    }

    @Override
    public boolean isShutdown() {
        SmcdDataPath path = dataPath;
        return path != null ? path.isInputShutdown() && path.isOutputShutdown() || !isActive() : super.isShutdown();
    }

    // ---------------------------------------------------------------- negotiation: client

    @Override
    protected boolean doConnect(SocketAddress remoteAddress, SocketAddress localAddress) throws Exception {
        SmcdIoHandler handler = SmcdIoHandler.current();
        SmcdFallbackReason plain = clientFallbackReason(handler, remoteAddress);
        Optional<Listener> listener = plain != null ? Optional.empty()
                : handler.domain().registry().findListener((InetSocketAddress) remoteAddress);
        if (plain == null && listener.isEmpty()) {
            plain = SmcdFallbackReason.PEER_NO_LISTENER;
        }
        if (plain != null) {
            fallbackReason = plain;
            return connectPlain(remoteAddress, localAddress);
        }
        InetSocketAddress remote = (InetSocketAddress) remoteAddress;
        SmcdDomainContext domain = handler.domain().retain();
        List<IsmDevice> devices = domain.devices(config.devices());
        ClientIntent intent;
        LinkGroupJoin.Offer offer = null;
        try {
            offer = LinkGroupJoin.offer(domain.linkGroups(), listener.get().record().owner(), devices, config.dmbSize());
            intent = listener.get().reserve(remote, offer.intent());
        } catch (SmcdException e) {
            if (offer != null) {
                offer.withdraw();
            }
            domain.release();
            fallbackReason = new SmcdFallbackReason(e.reasonCode(), SmcdReason.NONE, "cannot publish intent: "
                    + e.getMessage());
            return connectPlain(remoteAddress, localAddress);
        }
        ClcAcceptorHandshake handshake = new ClcAcceptorHandshake(devices, domain.linkGroups(), config.dmbSize(),
                new TcpDoorbell(javaChannel()));
        ClientClcNegotiation client = new ClientClcNegotiation(this, domain, intent, offer, devices, handshake,
                handler.config().getClcTimeoutMillis());
        negotiation = client;
        clcPending = true;
        boolean connected;
        try {
            // connect() picks the local port, reusing TIME_WAIT ports as only it can; the intent names it once known.
            connected = super.doConnect(remoteAddress, localAddress);
        } catch (Exception e) {
            negotiation = null;
            clcPending = false;
            client.abandon();
            throw e;
        }
        if (connected) {
            clientConnected(client);
        } else {
            // Known now on most kernels; otherwise once the connect completes.
            client.publish((InetSocketAddress) javaChannel().getLocalAddress());
        }
        // The connect promise completes in doFinishConnect, after the handshake.
        return false;
    }

    private boolean connectPlain(SocketAddress remoteAddress, SocketAddress localAddress) throws Exception {
        boolean connected = super.doConnect(remoteAddress, localAddress);
        if (connected) {
            watchSocketOverTcp();
            opened();
        }
        return connected;
    }

    private SmcdFallbackReason clientFallbackReason(SmcdIoHandler handler, SocketAddress remoteAddress) {
        if (!config.isSmcdEnabled()) {
            return SmcdFallbackReason.DISABLED;
        }
        if (handler == null) {
            return SmcdFallbackReason.NOT_ON_SMCD_LOOP;
        }
        if (handler.domain() == null) {
            return handler.unavailableReason();
        }
        if (!(remoteAddress instanceof InetSocketAddress) || ((InetSocketAddress) remoteAddress).isUnresolved()
                || ((InetSocketAddress) remoteAddress).getPort() == 0) {
            // Port 0 names no listener: the kernel refuses the connect as it refuses a NIO channel's.
            return SmcdFallbackReason.PEER_NO_LISTENER;
        }
        return null;
    }

    private void clientConnected(ClientClcNegotiation client) throws IOException {
        selectSocket(NioIoOps.READ, true);
        client.connected((InetSocketAddress) javaChannel().getLocalAddress());
    }

    @Override
    protected void doFinishConnect() throws Exception {
        IOException failure = clcFailure;
        if (failure != null) {
            clcFailure = null;
            throw failure;
        }
        super.doFinishConnect();
        clcPending = false;
        if (dataPath == null) {
            watchSocketOverTcp();
        }
        opened();
    }

    // ---------------------------------------------------------------- negotiation: server

    @Override
    protected void doRegister(ChannelPromise promise) {
        super.doRegister(promise);
        promise.addListener(f -> {
            if (f.isSuccess()) {
                registered();
            }
        });
    }

    private void registered() {
        SmcdIoHandler handler = SmcdIoHandler.current();
        if (claimedDomain != null) {
            settleIntent(handler, System.nanoTime() + INTENT_WAIT_NANOS);
        } else if (dataPath != null) {
            if (handler == null) {
                logger.warn("smcd: {} runs over SMC-D and cannot be registered on a loop that is not an smcd loop: "
                        + "closed", this);
                unsafe().close(voidPromise());
                return;
            }
            dataPath.attach(handler);
            // A new registration starts with no interest: the socket carries the peer's doorbells.
            selectSocket(NioIoOps.READ, true);
            opened();
        } else if (parent() != null) {
            // Accepted as plain TCP: active from the start.
            watchSocketOverTcp();
            opened();
        }
    }

    /** Whether this accepted connection waits for the claim of its client's intent, and then CLC, once registered. */
    boolean awaitsClc() {
        return claimedDomain != null;
    }

    /**
     * Negotiates on {@code work}'s loop before the application accepts the connection (the server channel reads no
     * connections now): the outcome is settled there and the channel activates when it is registered on its own loop.
     */
    void negotiateBeforeAccept(ListenWork work) {
        listenWork = work;
        settleIntent(SmcdIoHandler.current(), System.nanoTime() + INTENT_WAIT_NANOS);
    }

    /** The socket is ready while {@link ListenWork} negotiates. */
    void listenWorkReady(NioIoOps ops) {
        if (negotiation != null && ops.contains(NioIoOps.READ)) {
            negotiation.onReadable(javaChannel());
        }
    }

    /** The loop the negotiation runs on: the server's while negotiating before accept, else the channel's own. */
    EventLoop negotiationLoop() {
        return listenWork != null ? listenWork.loop() : eventLoop();
    }

    /**
     * Claims the client's intent once it is there: a client publishes its endpoint right after its {@code connect()}, so
     * a connection accepted in between finds only the reservation, and the lookup is repeated every
     * {@value #INTENT_RECHECK_MICROS} us for at most {@link #INTENT_WAIT_NANOS}. Without an intent by then the connection
     * is plain TCP; a client that publishes later withdraws it on the server's first bytes or its CLC timeout.
     */
    private void settleIntent(SmcdIoHandler handler, long deadlineNanos) {
        if (claimedDomain == null) {
            return;
        }
        PendingIntent intent = pendingIntent;
        boolean unsettled = false;
        if (intent == null) {
            try {
                ListenerSegment.Lookup lookup = intentListener.find((InetSocketAddress) javaChannel().getRemoteAddress(),
                        (InetSocketAddress) javaChannel().getLocalAddress());
                intent = lookup.intent();
                unsettled = lookup.unsettled();
            } catch (IOException e) {
                intent = null;
            }
        }
        if (intent == null && unsettled && isOpen() && System.nanoTime() - deadlineNanos < 0) {
            // The client publishes right after its connect() returns, and the kernel often woke this thread on the
            // client's core: let the client run before looking again.
            Thread.yield();
            negotiationLoop().schedule(() -> settleIntent(handler, deadlineNanos), INTENT_RECHECK_MICROS,
                    TimeUnit.MICROSECONDS);
            return;
        }
        SmcdDomainContext domain = claimedDomain;
        ListenerSegment listener = intentListener;
        claimedDomain = null;
        intentListener = null;
        pendingIntent = null;
        try {
            if (intent != null) {
                claim(handler, domain, listener, intent);
            } else {
                domain.release();
                clcFellBack(SmcdFallbackReason.PEER_NO_INTENT, null);
            }
        } finally {
            listener.release();
        }
    }

    /**
     * Claims the client's intent: joined to the link group when the client offered an RMB this side maps and an idle RMB
     * the client maps is at hand (no CLC message; one doorbell wakes the client, which reads the answer from the intent's
     * slot); else for the CLC handshake, this side proposing. A claim the client's withdraw beat leaves plain TCP.
     */
    private void claim(SmcdIoHandler handler, SmcdDomainContext domain, ListenerSegment listener, PendingIntent intent) {
        boolean canPoll = handler != null && handler.domain() != null;
        List<IsmDevice> devices = domain.devices(config.devices());
        LinkGroupJoin.Lease join = canPoll ? LinkGroupJoin.serve(intent, devices, domain.linkGroups(), config.dmbSize())
                : null;
        if (join != null) {
            if (listener.claimJoin(intent, join.answer())) {
                TcpDoorbell doorbell = new TcpDoorbell(javaChannel());
                SmcdDataPath path = new SmcdDataPath(this, join.connect(domain.linkGroups(), doorbell),
                        domain.modeOf(join.device()), domain);
                // Wakes the client to read the answer, before channelActive lets the application write or close.
                doorbell.ring();
                selectSocket(NioIoOps.READ, true);
                clcSucceeded(path);
                return;
            }
            join.abandon();
        } else if (listener.claimClc(intent)) {
            int timeout = handler != null ? handler.config().getClcTimeoutMillis()
                    : SmcdIoHandlerConfig.DEFAULT_CLC_TIMEOUT_MILLIS;
            ServerClcNegotiation server = new ServerClcNegotiation(this, domain,
                    new ClcProposerHandshake(devices, domain.linkGroups(), intent.client(), config.dmbSize(),
                            new TcpDoorbell(javaChannel())), timeout);
            negotiation = server;
            selectSocket(NioIoOps.READ, true);
            server.start(canPoll);
            return;
        }
        domain.release();
        clcFellBack(SmcdFallbackReason.PEER_NO_INTENT, null);
    }

    // ---------------------------------------------------------------- negotiation outcomes

    /** The handshake established SMC-D: the data path takes over reads and writes. */
    void clcSucceeded(SmcdDataPath path) {
        negotiation = null;
        dataPath = path;
        mode = path.mode();
        fallbackReason = null;
        path.readInterest(readRequested);
        if (listenWork != null) {
            settledBeforeAccept();
            return;
        }
        path.attach(SmcdIoHandler.current());
        activate();
    }

    /** The handshake ended in TCP; {@code leftover} (may be null) are the first application bytes received. */
    void clcFellBack(SmcdFallbackReason reason, ByteBuf leftover) {
        negotiation = null;
        fallbackReason = reason;
        pendingInbound = leftover;
        if (listenWork != null) {
            settledBeforeAccept();
            return;
        }
        watchSocketOverTcp();
        activate();
    }

    /** The outcome is in before the application accepted the connection: registration will activate the channel. */
    private void settledBeforeAccept() {
        ListenWork work = listenWork;
        listenWork = null;
        clcPending = false;
        work.settled();
    }

    /** The handshake failed after the point of no return: abort the TCP connection (a reset, as SO_LINGER 0). */
    void clcFailed(IOException cause) {
        negotiation = null;
        SmcdIoHandler handler = SmcdIoHandler.current();
        if (handler != null && handler.domain() != null) {
            handler.domain().statistics().handshakeFailed();
        }
        if (!isOpen()) {
            return;
        }
        try {
            config.setSoLinger(0);
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
        if (listenWork != null) {
            // Never registered: the application will not see this connection, as with a kernel listen work that failed.
            unsafe().closeForcibly();
            return;
        }
        if (parent() == null && javaChannel().isConnected()) {
            // Fails the connect promise with the cause (doFinishConnect throws it).
            clcFailure = cause;
            unsafe().finishConnect();
        }
        unsafe().close(voidPromise());
    }

    private void activate() {
        if (parent() == null) {
            // Client: completes the connect promise, then channelActive (doFinishConnect clears clcPending).
            if (javaChannel().isConnected()) {
                unsafe().finishConnect();
            }
            return;
        }
        clcPending = false;
        opened();
        pipeline().fireChannelActive();
    }

    /**
     * The channel is active in its final mode: a fallback gets its one debug line, and the domain's statistics count
     * the connection until it closes. Runs once, on the event loop.
     */
    private void opened() {
        if (counted) {
            return;
        }
        counted = true;
        if (!mode.isSmcd()) {
            logger.debug("smcd: {} runs over TCP: {}", this, fallbackReason);
        }
        SmcdIoHandler handler = SmcdIoHandler.current();
        SmcdDomainContext domain = handler != null ? handler.domain() : null;
        if (domain != null) {
            statistics = domain.statistics();
            statistics.opened(this);
        }
    }

    // ---------------------------------------------------------------- data path

    @Override
    protected int doReadBytes(ByteBuf byteBuf) throws Exception {
        if (dataPath != null) {
            return dataPath.read(byteBuf, unsafe().recvBufAllocHandle());
        }
        ByteBuf pending = pendingInbound;
        if (pending != null) {
            unsafe().recvBufAllocHandle().attemptedBytesRead(byteBuf.writableBytes());
            int n = Math.min(pending.readableBytes(), byteBuf.writableBytes());
            byteBuf.writeBytes(pending, n);
            if (!pending.isReadable()) {
                pending.release();
                pendingInbound = null;
            }
            return n;
        }
        return super.doReadBytes(byteBuf);
    }

    @Override
    protected void doBeginRead() throws Exception {
        super.doBeginRead();
        if (pendingInbound != null) {
            // The bytes that followed the handshake are already here: no selector event will announce them.
            eventLoop().execute(() -> {
                if (pendingInbound != null && isActive()) {
                    unsafe().read();
                }
            });
        }
    }

    @Override
    protected void doWrite(ChannelOutboundBuffer in) throws Exception {
        if (dataPath != null) {
            dataPath.write(in, config.getWriteSpinCount());
        } else {
            super.doWrite(in);
        }
    }

    @Override
    protected void addAndSubmit(NioIoOps addOps) {
        if (addOps.equals(NioIoOps.READ)) {
            readRequested = true;
            if (dataPath != null) {
                dataPath.readInterest(true);
                return;
            }
            if (!isActive()) {
                // Not connected, or negotiating: selecting a socket that is not connected reports a hang-up, and
                // CLC bytes are the negotiation's. The request is applied on activation.
                return;
            }
        }
        super.addAndSubmit(addOps);
    }

    @Override
    protected void removeAndSubmit(NioIoOps removeOps) {
        if (removeOps.equals(NioIoOps.READ)) {
            readRequested = false;
            if (dataPath != null) {
                dataPath.readInterest(false);
                return;
            }
            if (!isActive()) {
                return;
            }
            if (pendingInbound == null && tcpEndsSeen < 2) {
                // Over TCP the socket stays watched without a read request, for the peer's end of stream.
                return;
            }
        }
        super.removeAndSubmit(removeOps);
    }

    /**
     * Over TCP, the socket is watched whether or not the application asked to read: its readiness without a read
     * request is looked at by {@link #probeForEndOfStream}, so the peer's end of stream reaches a channel that does not
     * read, as epoll's {@code EPOLLRDHUP} does (NIO would see it only on the next read).
     */
    private void watchSocketOverTcp() {
        if (javaChannel().isConnected()) {
            // Not before: a socket still connecting reports a hang-up when selected for reading; doFinishConnect
            // comes back here once it is connected.
            selectSocket(NioIoOps.READ, pendingInbound == null || readRequested);
        }
    }

    /**
     * The socket is readable over TCP while the application has not asked to read. With no byte queued
     * ({@code FIONREAD}, which consumes nothing) the readiness is the peer's end of stream or an error: NIO's read path
     * delivers it as on a read (with half-closure allowed, {@code ChannelInputShutdownEvent}, and at the next readiness
     * {@code ChannelInputShutdownReadComplete}; otherwise the close), and the socket is not watched after both. With
     * bytes queued they stay in the socket, so an application that does not read still applies backpressure, and the
     * socket is watched again once it reads.
     */
    private void probeForEndOfStream(IoRegistration registration, IoEvent event) {
        int queued;
        try {
            queued = javaChannel().socket().getInputStream().available();
        } catch (IOException e) {
            queued = 0;
        }
        if (queued > 0) {
            selectSocket(NioIoOps.READ, false);
            if (((NioIoEvent) event).ops().contains(NioIoOps.WRITE)) {
                // What NIO does for OP_WRITE; the read half of the event is the application's to ask for.
                unsafe().forceFlush();
            }
            return;
        }
        tcpEndsSeen++;
        ((SmcdUnsafe) unsafe()).deliver(registration, event);
        if (tcpEndsSeen >= 2 && isOpen()) {
            selectSocket(NioIoOps.READ, readRequested);
        }
    }

    /** Selects the TCP socket itself for {@code ops}, bypassing the SMC-D read interest. */
    private void selectSocket(NioIoOps ops, boolean on) {
        if (listenWork != null) {
            listenWork.select(ops, on);
        } else if (on) {
            super.addAndSubmit(ops);
        } else {
            super.removeAndSubmit(ops);
        }
    }

    // ---------------------------------------------------------------- shutdown and close

    @Override
    public ChannelFuture shutdownInput(ChannelPromise promise) {
        if (dataPath == null) {
            return super.shutdownInput(promise);
        }
        inEventLoop(() -> {
            if (dataPath != null) {
                dataPath.shutdownInput();
                promise.setSuccess();
            } else {
                promise.setFailure(new ClosedChannelException());
            }
        });
        return promise;
    }

    @Override
    public ChannelFuture shutdownOutput(ChannelPromise promise) {
        if (dataPath == null) {
            return super.shutdownOutput(promise);
        }
        inEventLoop(() -> shutdownSmcdOutput(promise));
        return promise;
    }

    /**
     * SMC-D's half-close: {@code peerDoneWriting} in the peer's DMB, and Netty's outbound semantics (flushed writes
     * fail, {@link ChannelOutputShutdownEvent}). The TCP socket stays open both ways: it carries doorbells.
     */
    private void shutdownSmcdOutput(ChannelPromise promise) {
        ChannelOutboundBuffer out = unsafe().outboundBuffer();
        if (dataPath == null || out == null) {
            promise.setFailure(new ClosedChannelException());
            return;
        }
        if (!promise.setUncancellable()) {
            return;
        }
        dataPath.shutdownOutput();
        promise.setSuccess();
        ChannelOutputShutdownException cause = new ChannelOutputShutdownException("Channel output shutdown");
        while (out.remove(cause)) {
            // Fails each flushed message.
        }
        pipeline().fireUserEventTriggered(ChannelOutputShutdownEvent.INSTANCE);
    }

    private void inEventLoop(Runnable task) {
        EventLoop loop = eventLoop();
        if (loop.inEventLoop()) {
            task.run();
        } else {
            loop.execute(task);
        }
    }

    @Override
    protected void doDeregister() throws Exception {
        if (dataPath != null) {
            dataPath.detach();
        }
        super.doDeregister();
    }

    @Override
    protected void doClose() throws Exception {
        try {
            if (negotiation != null) {
                negotiation.abandon();
                negotiation = null;
            }
            if (listenWork != null) {
                listenWork.abandoned();
                listenWork = null;
            }
            if (claimedDomain != null) {
                claimedDomain.release();
                claimedDomain = null;
                intentListener.release();
                intentListener = null;
            }
            if (dataPath != null) {
                dataPath.close(soLingerZero());
            }
            if (pendingInbound != null) {
                pendingInbound.release();
                pendingInbound = null;
            }
            if (statistics != null) {
                statistics.closed(this);
            }
        } finally {
            super.doClose();
        }
    }

    private boolean soLingerZero() {
        try {
            return config.getSoLinger() == 0;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    protected AbstractNioUnsafe newUnsafe() {
        return new SmcdUnsafe();
    }

    @Override
    public String toString() {
        return super.toString() + "[" + mode + "]";
    }

    /** Routes the TCP socket's events: to the negotiation, to the SMC-D data path (doorbells), or to NIO. */
    private final class SmcdUnsafe extends NioByteUnsafe {
        @Override
        public void handle(IoRegistration registration, IoEvent event) {
            if (negotiation == null && dataPath == null) {
                if (!readRequested && isActive() && ((NioIoEvent) event).ops().contains(NioIoOps.READ)) {
                    probeForEndOfStream(registration, event);
                } else {
                    super.handle(registration, event);
                }
                return;
            }
            try {
                NioIoOps ops = ((NioIoEvent) event).ops();
                if (negotiation != null) {
                    handleNegotiation(ops);
                } else if (ops.contains(NioIoOps.READ)) {
                    if (dataPath.drainDoorbells(javaChannel())) {
                        selectSocket(NioIoOps.READ, false);
                    }
                    dataPath.poll();
                }
            } catch (CancelledKeyException ignored) {
                close(voidPromise());
            }
        }

        /** NIO's own handling of the event. */
        void deliver(IoRegistration registration, IoEvent event) {
            super.handle(registration, event);
        }

        private void handleNegotiation(NioIoOps ops) {
            ClcNegotiation current = negotiation;
            if (ops.contains(NioIoOps.CONNECT)) {
                selectSocket(NioIoOps.CONNECT, false);
                try {
                    if (!javaChannel().finishConnect()) {
                        selectSocket(NioIoOps.CONNECT, true);
                        return;
                    }
                    clientConnected((ClientClcNegotiation) current);
                } catch (IOException e) {
                    negotiation = null;
                    current.abandon();
                    clcFailure = e;
                    finishConnect();
                    return;
                }
            }
            if (ops.contains(NioIoOps.READ) && negotiation == current) {
                current.onReadable(javaChannel());
            }
        }

        @Override
        protected Executor prepareToClose() {
            try {
                if (javaChannel().isOpen() && config().getSoLinger() > 0) {
                    // As NioSocketChannel: closing with SO_LINGER blocks, so it happens off the event loop.
                    doDeregister();
                    return GlobalEventExecutor.INSTANCE;
                }
            } catch (Throwable ignore) {
                // The socket may be closed meanwhile; close on the event loop then.
            }
            return null;
        }
    }
}
