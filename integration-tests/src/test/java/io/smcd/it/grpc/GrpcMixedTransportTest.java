package io.smcd.it.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.grpc.CallOptions;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.smcd.channel.SmcdFallbackReason;
import io.smcd.it.ChannelModes;
import io.smcd.it.Payload;
import org.junit.jupiter.api.Test;

/**
 * An smcd gRPC channel with a plain NIO gRPC server, and a plain NIO channel with an smcd server: unary and streaming
 * calls work with every byte intact, and the smcd end reports TCP with the reason (the NIO server registered no SMC-D
 * listener; the NIO client published no intent).
 */
class GrpcMixedTransportTest {
    @Test
    void smcdChannelWithPlainNioServerUsesTcp() throws Exception {
        try (GrpcBed bed = new GrpcBed("it-grpc-mix-client")) {
            GrpcBed.ServerSide server = bed.server(GrpcBed.Transport.NIO, new BytesService().definition());
            GrpcBed.ClientSide client = bed.channel(GrpcBed.Transport.SMCD, server.port());
            exchange(client);
            ChannelModes.assertFallback("smcd client", client.made.channels(), 1,
                    SmcdFallbackReason.PEER_NO_LISTENER);
            ChannelModes.assertPlainNio("nio server", server.accepted.channels(), 1);
        }
    }

    @Test
    void plainNioChannelWithSmcdServerUsesTcp() throws Exception {
        try (GrpcBed bed = new GrpcBed("it-grpc-mix-server")) {
            GrpcBed.ServerSide server = bed.server(GrpcBed.Transport.SMCD, new BytesService().definition());
            GrpcBed.ClientSide client = bed.channel(GrpcBed.Transport.NIO, server.port());
            exchange(client);
            ChannelModes.assertPlainNio("nio client", client.made.channels(), 1);
            ChannelModes.assertFallback("smcd server", server.accepted.channels(), 1,
                    SmcdFallbackReason.PEER_NO_INTENT);
        }
    }

    /** A 1 MiB unary call and a bidirectional stream of three messages. */
    private static void exchange(GrpcBed.ClientSide client) throws Exception {
        byte[] reply = ClientCalls.blockingUnaryCall(client.channel, BytesMethods.ECHO, CallOptions.DEFAULT,
                Payload.of(1, 1 << 20));
        Payload.check("unary reply", reply, 1, 1 << 20);

        Responses echoes = Responses.automatic();
        StreamObserver<byte[]> requests = ClientCalls.asyncBidiStreamingCall(
                client.channel.newCall(BytesMethods.ECHO_STREAM, CallOptions.DEFAULT), echoes);
        for (int i = 0; i < 3; i++) {
            requests.onNext(Payload.of(10 + i, 200_000));
            Payload.check("echo " + i, echoes.next(GrpcBed.BOUND), 10 + i, 200_000);
        }
        requests.onCompleted();
        assertEquals(Status.Code.OK, echoes.awaitClose(GrpcBed.BOUND).getCode());
    }
}
