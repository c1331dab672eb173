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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * An smcd gRPC server shut down with unary and streaming calls in flight over SMC-D: {@code shutdown()} stops new
 * connections and lets a running call finish; {@code shutdownNow()} fails every other call on the client with
 * UNAVAILABLE or CANCELLED; the server terminates, its connection closes, nothing hangs.
 */
class GrpcServerShutdownTest {
    private static final Set<Status.Code> ENDED_BY_SHUTDOWN = Set.of(Status.Code.UNAVAILABLE, Status.Code.CANCELLED);
    private static final int HELD = 3;

    @Test
    void shutdownWithCallsInFlight() throws Exception {
        try (GrpcBed bed = new GrpcBed("it-grpc-shutdown")) {
            BytesService service = new BytesService();
            CallTracker tracker = new CallTracker();
            GrpcBed.ServerSide server = bed.server(GrpcBed.Transport.SMCD, service.definition(), tracker);
            GrpcBed.ClientSide client = bed.channel(GrpcBed.Transport.SMCD, server.port());

            List<Responses> held = new ArrayList<>();
            for (int i = 0; i < HELD; i++) {
                Responses responses = Responses.automatic();
                ClientCalls.asyncUnaryCall(client.channel.newCall(BytesMethods.HOLD, CallOptions.DEFAULT),
                        Payload.of(i, 1000), responses);
                held.add(responses);
            }
            Responses endless = Responses.manual(1);
            ClientCalls.asyncServerStreamingCall(client.channel.newCall(BytesMethods.ENDLESS, CallOptions.DEFAULT),
                    BytesMethods.encodeInts(0), endless);
            Responses echoes = Responses.automatic();
            StreamObserver<byte[]> echoRequests = ClientCalls.asyncBidiStreamingCall(
                    client.channel.newCall(BytesMethods.ECHO_STREAM, CallOptions.DEFAULT), echoes);
            echoRequests.onNext(Payload.of(5, 10_000));
            Payload.check("echo before shutdown", echoes.next(GrpcBed.BOUND), 5, 10_000);
            Payload.check("stream before shutdown", endless.next(GrpcBed.BOUND), 0, BytesMethods.ENDLESS_MESSAGE_BYTES);
            tracker.inProgress(BytesMethods.HOLD).await(HELD, GrpcBed.BOUND);
            Channel connection = server.accepted.channels().get(0);
            ChannelModes.assertSmcd("grpc client", client.made.channels(), 1, SmcdMode.SMCD_LOOPBACK);
            ChannelModes.assertSmcd("grpc server", server.accepted.channels(), 1, SmcdMode.SMCD_LOOPBACK);

            int port = server.port();
            server.server.shutdown();
            for (Channel listener : server.accepted.listeners()) {
                assertTrue(listener.closeFuture().await(GrpcBed.BOUND.toMillis()), "listener still open");
            }
            StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
                    () -> ClientCalls.blockingUnaryCall(bed.channel(GrpcBed.Transport.SMCD, port).channel,
                            BytesMethods.ECHO, CallOptions.DEFAULT, new byte[1]));
            assertEquals(Status.Code.UNAVAILABLE, refused.getStatus().getCode(), "no new connection after shutdown");

            service.answerHeldCall(GrpcBed.BOUND);
            CompletableFuture.anyOf(held.stream().map(Responses::closed).toArray(CompletableFuture[]::new))
                    .get(GrpcBed.BOUND.toMillis(), TimeUnit.MILLISECONDS);
            int answered = IntStream.range(0, HELD).filter(i -> held.get(i).closed().isDone()).findFirst().orElseThrow();
            assertEquals(Status.Code.OK, held.get(answered).awaitClose(GrpcBed.BOUND).getCode(),
                    "a running call finishes during the graceful shutdown");
            Payload.check("answer during shutdown", held.get(answered).next(GrpcBed.BOUND), answered, 1000);
            assertFalse(server.server.isTerminated(), "calls still in flight");

            server.server.shutdownNow();
            assertTrue(server.server.awaitTermination(GrpcBed.BOUND.toMillis(), TimeUnit.MILLISECONDS));
            for (int i = 0; i < HELD; i++) {
                if (i != answered) {
                    assertEndedByShutdown("held call " + i, held.get(i));
                }
            }
            // gRPC reports a broken stream only after the messages it had already received are taken: ask for them.
            endless.request(Integer.MAX_VALUE);
            assertEndedByShutdown("server stream", endless);
            assertEndedByShutdown("bidirectional stream", echoes);
            assertTrue(connection.closeFuture().await(GrpcBed.BOUND.toMillis()), "server connection still open");
            for (var method : List.of(BytesMethods.HOLD, BytesMethods.ENDLESS, BytesMethods.ECHO_STREAM)) {
                tracker.inProgress(method).await(0, GrpcBed.BOUND);
            }
        }
    }

    private static void assertEndedByShutdown(String what, Responses call) throws Exception {
        Status status = call.awaitClose(GrpcBed.BOUND);
        assertTrue(ENDED_BY_SHUTDOWN.contains(status.getCode()), what + ": " + status);
    }
}
