package io.smcd.it.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.grpc.CallOptions;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.smcd.channel.SmcdMode;
import io.smcd.it.ChannelModes;
import io.smcd.it.Payload;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * 100 bidirectional streams open at once on one smcd channel: each sends a message and gets its echo while all 100
 * are open (the server counts them in progress together), then each sends a second one and completes. Every byte is
 * checked, and all 100 streams shared one SMC-D connection.
 */
class GrpcConcurrentStreamsTest {
    private static final int STREAMS = 100;
    private static final int MESSAGE_BYTES = 64 * 1024;

    @Test
    void hundredConcurrentStreamsOnOneSmcdConnection() throws Exception {
        try (GrpcBed bed = new GrpcBed("it-grpc-streams")) {
            CallTracker tracker = new CallTracker();
            GrpcBed.ServerSide server = bed.server(GrpcBed.Transport.SMCD, new BytesService().definition(), tracker);
            GrpcBed.ClientSide client = bed.channel(GrpcBed.Transport.SMCD, server.port());

            List<Responses> echoes = new ArrayList<>();
            List<StreamObserver<byte[]>> requests = new ArrayList<>();
            for (int i = 0; i < STREAMS; i++) {
                Responses responses = Responses.automatic();
                echoes.add(responses);
                requests.add(ClientCalls.asyncBidiStreamingCall(
                        client.channel.newCall(BytesMethods.ECHO_STREAM, CallOptions.DEFAULT), responses));
                requests.get(i).onNext(Payload.of(i, MESSAGE_BYTES));
            }
            for (int i = 0; i < STREAMS; i++) {
                Payload.check("first echo of stream " + i, echoes.get(i).next(GrpcBed.BOUND), i, MESSAGE_BYTES);
            }
            Gauge open = tracker.inProgress(BytesMethods.ECHO_STREAM);
            assertEquals(STREAMS, open.value(), "every stream is open on the server at once");

            for (int i = 0; i < STREAMS; i++) {
                requests.get(i).onNext(Payload.of(STREAMS + i, MESSAGE_BYTES));
                requests.get(i).onCompleted();
            }
            for (int i = 0; i < STREAMS; i++) {
                Payload.check("second echo of stream " + i, echoes.get(i).next(GrpcBed.BOUND), STREAMS + i,
                        MESSAGE_BYTES);
                assertEquals(Status.Code.OK, echoes.get(i).awaitClose(GrpcBed.BOUND).getCode(), "stream " + i);
            }
            open.await(0, GrpcBed.BOUND);
            assertEquals(STREAMS, open.max());
            ChannelModes.assertSmcd("grpc client", client.made.channels(), 1, SmcdMode.SMCD_LOOPBACK);
            ChannelModes.assertSmcd("grpc server", server.accepted.channels(), 1, SmcdMode.SMCD_LOOPBACK);
        }
    }
}
