package io.smcd.it.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.CallOptions;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.smcd.channel.SmcdMode;
import io.smcd.it.ChannelModes;
import io.smcd.it.Payload;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Deadlines and cancellations over one SMC-D connection: the client sees DEADLINE_EXCEEDED or CANCELLED, the server
 * sees the call cancelled and no longer in progress, neither end keeps an HTTP/2 stream open, and the connection
 * carries the next call. The streaming cases end mid-stream: the client has taken messages and more were on their way.
 *
 * <p>The deadlines (1 s) start after the connection is up and only have to outlast sending one request.
 */
class GrpcDeadlineAndCancellationTest {
    private static final long DEADLINE_MILLIS = 1000;

    private GrpcBed bed;
    private CallTracker tracker;
    private GrpcBed.ServerSide server;
    private GrpcBed.ClientSide client;

    @BeforeEach
    void start() throws Exception {
        bed = new GrpcBed("it-grpc-cancel");
        tracker = new CallTracker();
        server = bed.server(GrpcBed.Transport.SMCD, new BytesService().definition(), tracker);
        client = bed.channel(GrpcBed.Transport.SMCD, server.port());
        assertEchoWorks();
    }

    @AfterEach
    void stop() throws Exception {
        bed.close();
    }

    /** A round trip on the same connection; once it is back, the frames of every earlier call have been handled. */
    private void assertEchoWorks() {
        byte[] reply = ClientCalls.blockingUnaryCall(client.channel, BytesMethods.ECHO, CallOptions.DEFAULT,
                Payload.of(9, 1000));
        Payload.check("echo", reply, 9, 1000);
    }

    /** The call ended on both sides: cancelled once on the server, not in progress, no HTTP/2 stream left anywhere. */
    private void assertEndedEverywhere(MethodDescriptor<?, ?> method) throws Exception {
        tracker.inProgress(method).await(0, GrpcBed.BOUND);
        assertEquals(1, tracker.cancelled(method).value(), "server-side cancellations of " + method);
        assertEchoWorks();
        ChannelModes.assertSmcd("grpc client", client.made.channels(), 1, SmcdMode.SMCD_LOOPBACK);
        ChannelModes.assertSmcd("grpc server", server.accepted.channels(), 1, SmcdMode.SMCD_LOOPBACK);
        assertEquals(0, Http2Streams.active(client.made.channels().get(0), GrpcBed.BOUND), "client streams");
        assertEquals(0, Http2Streams.active(server.accepted.channels().get(0), GrpcBed.BOUND), "server streams");
    }

    @Test
    void unaryDeadlineEndsTheCallOnBothSides() throws Exception {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> ClientCalls.blockingUnaryCall(client.channel, BytesMethods.HOLD,
                        CallOptions.DEFAULT.withDeadlineAfter(DEADLINE_MILLIS, TimeUnit.MILLISECONDS),
                        Payload.of(1, 100)));
        assertEquals(Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode());
        assertEndedEverywhere(BytesMethods.HOLD);
    }

    @Test
    void streamingDeadlineEndsTheStreamMidwayOnBothSides() throws Exception {
        Responses responses = Responses.manual(1);
        ClientCalls.asyncServerStreamingCall(client.channel.newCall(BytesMethods.ENDLESS,
                CallOptions.DEFAULT.withDeadlineAfter(DEADLINE_MILLIS, TimeUnit.MILLISECONDS)),
                BytesMethods.encodeInts(50), responses);
        Payload.check("first message", responses.next(GrpcBed.BOUND), 50, BytesMethods.ENDLESS_MESSAGE_BYTES);
        assertEquals(Status.Code.DEADLINE_EXCEEDED, responses.awaitClose(GrpcBed.BOUND).getCode());
        assertEquals(0, responses.pending(), "only the one message asked for was delivered");
        assertEndedEverywhere(BytesMethods.ENDLESS);
    }

    @Test
    void clientCancelsAServerStreamMidway() throws Exception {
        Responses responses = Responses.automatic();
        ClientCalls.asyncServerStreamingCall(client.channel.newCall(BytesMethods.ENDLESS, CallOptions.DEFAULT),
                BytesMethods.encodeInts(70), responses);
        for (int i = 0; i < 20; i++) {
            Payload.check("message " + i, responses.next(GrpcBed.BOUND), 70 + i, BytesMethods.ENDLESS_MESSAGE_BYTES);
        }
        responses.cancel("test is done reading");
        assertEquals(Status.Code.CANCELLED, responses.awaitClose(GrpcBed.BOUND).getCode());
        assertEndedEverywhere(BytesMethods.ENDLESS);
    }

    @Test
    void clientCancelsABidirectionalStreamMidway() throws Exception {
        Responses echoes = Responses.automatic();
        StreamObserver<byte[]> requests = ClientCalls.asyncBidiStreamingCall(
                client.channel.newCall(BytesMethods.ECHO_STREAM, CallOptions.DEFAULT), echoes);
        for (int i = 0; i < 3; i++) {
            requests.onNext(Payload.of(i, 100_000));
            Payload.check("echo " + i, echoes.next(GrpcBed.BOUND), i, 100_000);
        }
        requests.onNext(Payload.of(3, 5 << 20));
        echoes.cancel("test stops mid-stream");
        assertEquals(Status.Code.CANCELLED, echoes.awaitClose(GrpcBed.BOUND).getCode());
        assertEndedEverywhere(BytesMethods.ECHO_STREAM);
    }
}
