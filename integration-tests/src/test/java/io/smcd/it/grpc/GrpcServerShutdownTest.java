package io.smcd.it.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.CallOptions;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.netty.channel.Channel;
import io.smcd.channel.SmcdMode;
import io.smcd.it.ChannelModes;
import io.smcd.it.Payload;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An smcd gRPC server shut down with unary and streaming calls in flight over SMC-D. {@code shutdownNow()} fails every
 * call on the client with UNAVAILABLE or CANCELLED; {@code shutdown()} refuses new connections and lets the running
 * calls finish. Either way the server terminates, its connection closes and nothing hangs.
 *
 * <p>The two are tested apart: {@code shutdown()} followed a few hundred milliseconds later by {@code shutdownNow()},
 * with a server stream stalled by flow control and a bidirectional stream open, leaves the server connection of
 * gRPC-java 1.85.1 open for good and the server never terminates, over NIO exactly as over smcd: gRPC's behaviour,
 * not the transport's.
 */
class GrpcServerShutdownTest {
    private static final Set<Status.Code> ENDED_BY_SHUTDOWN = Set.of(Status.Code.UNAVAILABLE, Status.Code.CANCELLED);
    private static final int HELD = 3;

    private GrpcBed bed;
    private BytesService service;
    private CallTracker tracker;
    private GrpcBed.ServerSide server;
    private GrpcBed.ClientSide client;
    private final List<Responses> held = new ArrayList<>();
    private Responses echoes;
    private StreamObserver<byte[]> echoRequests;

    @BeforeEach
    void startCalls() throws Exception {
        bed = new GrpcBed("it-grpc-shutdown");
        service = new BytesService();
        tracker = new CallTracker();
        server = bed.server(GrpcBed.Transport.SMCD, service.definition(), tracker);
        client = bed.channel(GrpcBed.Transport.SMCD, server.port());
        for (int i = 0; i < HELD; i++) {
            Responses responses = Responses.automatic();
            ClientCalls.asyncUnaryCall(client.channel.newCall(BytesMethods.HOLD, CallOptions.DEFAULT),
                    Payload.of(i, 1000), responses);
            held.add(responses);
        }
        echoes = Responses.automatic();
        echoRequests = ClientCalls.asyncBidiStreamingCall(
                client.channel.newCall(BytesMethods.ECHO_STREAM, CallOptions.DEFAULT), echoes);
        echoRequests.onNext(Payload.of(5, 10_000));
        Payload.check("echo before shutdown", echoes.next(GrpcBed.BOUND), 5, 10_000);
        tracker.inProgress(BytesMethods.HOLD).await(HELD, GrpcBed.BOUND);
    }

    @AfterEach
    void stop() throws Exception {
        bed.close();
    }

    private Channel connection() {
        ChannelModes.assertSmcd("grpc client", client.made.channels(), 1, SmcdMode.SMCD_LOOPBACK);
        ChannelModes.assertSmcd("grpc server", server.accepted.channels(), 1, SmcdMode.SMCD_LOOPBACK);
        return server.accepted.channels().get(0);
    }

    private void assertTerminatedAndClosed(Channel connection) throws Exception {
        assertTrue(server.server.awaitTermination(GrpcBed.BOUND.toMillis(), TimeUnit.MILLISECONDS),
                "server terminated");
        assertTrue(connection.closeFuture().await(GrpcBed.BOUND.toMillis()), "server connection closed");
        for (var method : List.of(BytesMethods.HOLD, BytesMethods.ENDLESS, BytesMethods.ECHO_STREAM)) {
            tracker.inProgress(method).await(0, GrpcBed.BOUND);
        }
    }

    private static void assertEndedByShutdown(String what, Responses call) throws Exception {
        Status status = call.awaitClose(GrpcBed.BOUND);
        assertTrue(ENDED_BY_SHUTDOWN.contains(status.getCode()), what + ": " + status);
    }

    @Test
    void shutdownNowFailsEveryCallInFlight() throws Exception {
        Responses endless = Responses.manual(1);
        ClientCalls.asyncServerStreamingCall(client.channel.newCall(BytesMethods.ENDLESS, CallOptions.DEFAULT),
                BytesMethods.encodeInts(0), endless);
        Payload.check("stream before shutdown", endless.next(GrpcBed.BOUND), 0, BytesMethods.ENDLESS_MESSAGE_BYTES);
        Channel connection = connection();

        server.server.shutdownNow();
        for (int i = 0; i < HELD; i++) {
            assertEndedByShutdown("held call " + i, held.get(i));
        }
        assertEndedByShutdown("bidirectional stream", echoes);
        // gRPC reports a broken stream only after the messages it had already received are taken: ask for them.
        endless.request(Integer.MAX_VALUE);
        assertEndedByShutdown("server stream", endless);
        assertTerminatedAndClosed(connection);
    }

    @Test
    void shutdownRefusesNewConnectionsAndLetsRunningCallsFinish() throws Exception {
        Channel connection = connection();
        int port = server.port();

        server.server.shutdown();
        for (Channel listener : server.accepted.listeners()) {
            assertTrue(listener.closeFuture().await(GrpcBed.BOUND.toMillis()), "listener still open");
        }
        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
                () -> ClientCalls.blockingUnaryCall(bed.channel(GrpcBed.Transport.SMCD, port).channel,
                        BytesMethods.ECHO, CallOptions.DEFAULT, new byte[1]));
        assertEquals(Status.Code.UNAVAILABLE, refused.getStatus().getCode(), "no new connection after shutdown");

        echoRequests.onNext(Payload.of(6, 20_000));
        Payload.check("echo during shutdown", echoes.next(GrpcBed.BOUND), 6, 20_000);
        for (int i = 0; i < HELD; i++) {
            service.answerHeldCall(GrpcBed.BOUND);
        }
        for (int i = 0; i < HELD; i++) {
            assertEquals(Status.Code.OK, held.get(i).awaitClose(GrpcBed.BOUND).getCode(), "held call " + i);
            Payload.check("answer " + i, held.get(i).next(GrpcBed.BOUND), i, 1000);
        }
        assertFalse(server.server.isTerminated(), "the bidirectional stream is still running");
        echoRequests.onCompleted();
        assertEquals(Status.Code.OK, echoes.awaitClose(GrpcBed.BOUND).getCode());
        assertTerminatedAndClosed(connection);
    }
}
