package io.smcd.channel;

import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.nio.NioIoEvent;
import io.netty.channel.nio.NioIoHandle;
import io.netty.channel.nio.NioIoOps;
import java.nio.channels.SelectableChannel;

/**
 * The CLC handshake of an accepted connection that the application has not accepted yet, run on the server channel's
 * event loop as the kernel's {@code smc_listen_work} runs it before {@code accept()}: the connection's socket is
 * registered there on its own (the channel itself is registered only when the application accepts it), its readiness
 * drives the channel's negotiation, and the registration ends once the outcome is settled.
 *
 * <p>Confined to the server channel's event loop.
 */
final class ListenWork implements NioIoHandle {
    private final SmcdSocketChannel connection;
    private final IoEventLoop loop;
    private final SmcdAcceptQueue queue;
    private IoRegistration registration;
    private NioIoOps interest = NioIoOps.NONE;
    private boolean ended;

    ListenWork(SmcdSocketChannel connection, IoEventLoop loop, SmcdAcceptQueue queue) {
        this.connection = connection;
        this.loop = loop;
        this.queue = queue;
    }

    /** Registers the socket on the server's loop, then starts the negotiation there. */
    void start() {
        loop.register(this).addListener(f -> {
            if (!f.isSuccess()) {
                queue.dropped(connection);
                connection.unsafe().closeForcibly();
                return;
            }
            registration = (IoRegistration) f.getNow();
            if (ended || !connection.isOpen()) {
                registration.cancel();
                return;
            }
            select(interest);
            connection.negotiateBeforeAccept(this);
        });
    }

    /** The loop the negotiation runs on, for its timers. */
    IoEventLoop loop() {
        return loop;
    }

    /** Selects the socket for {@code ops} ({@code on}) or no longer for them. */
    void select(NioIoOps ops, boolean on) {
        select(on ? interest.with(ops) : interest.without(ops));
    }

    private void select(NioIoOps ops) {
        interest = ops;
        if (registration != null && registration.isValid()) {
            registration.submit(ops);
        }
    }

    /** The negotiation settled (SMC-D or TCP): the connection waits in the accept queue, its socket unwatched. */
    void settled() {
        end();
        queue.settled(connection);
    }

    /** The negotiation failed or the connection closed before the application accepted it. */
    void abandoned() {
        if (!ended) {
            end();
            queue.dropped(connection);
        }
    }

    private void end() {
        ended = true;
        if (registration != null) {
            registration.cancel();
        }
    }

    @Override
    public SelectableChannel selectableChannel() {
        return connection.socket();
    }

    @Override
    public void handle(IoRegistration registration, IoEvent event) {
        if (!ended) {
            connection.listenWorkReady(((NioIoEvent) event).ops());
        }
    }

    @Override
    public void close() {
        // The server's event loop is shutting down: the connection never reaches the application.
        connection.unsafe().closeForcibly();
    }
}
