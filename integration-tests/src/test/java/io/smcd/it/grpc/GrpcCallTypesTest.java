package io.smcd.it.grpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.smcd.channel.SmcdMode;
import io.smcd.it.ChannelModes;
import io.smcd.it.Payload;
import java.util.Iterator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The four gRPC call types between an smcd server and an smcd channel, with messages from 0 B to 16 MiB (around the
 * 64 KiB ring, gRPC's 4 MiB default limit and its 1 MiB flow-control window), every byte checked on the receiving
 * side. All calls of the class share one channel, so after each test there must still be exactly one connection, and
 * it must have run over SMC-D on both ends.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GrpcCallTypesTest {
    private static final int[] STREAM_SIZES = {0, 1, 65_537, 1 << 20, 16 << 20, 3, 0};

    private GrpcBed bed;
    private GrpcBed.ServerSide server;
    private GrpcBed.ClientSide client;
    private ManagedChannel channel;

    @BeforeAll
    void start() throws Exception {
        bed = new GrpcBed("it-grpc-types");
        server = bed.server(GrpcBed.Transport.SMCD, new BytesService().definition());
        client = bed.channel(GrpcBed.Transport.SMCD, server.port());
        channel = client.channel;
    }

    @AfterAll
    void stop() throws Exception {
        bed.close();
    }

    @AfterEach
    void everyCallRanOverOneSmcdConnection() {
        ChannelModes.assertSmcd("grpc client", client.made.channels(), 1, SmcdMode.SMCD_LOOPBACK);
        ChannelModes.assertSmcd("grpc server", server.accepted.channels(), 1, SmcdMode.SMCD_LOOPBACK);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 100, 65_535, 65_537, 1 << 20, (4 << 20) + 1, 16 << 20})
    void unaryEchoesEverySize(int size) {
        byte[] reply = ClientCalls.blockingUnaryCall(channel, BytesMethods.ECHO, CallOptions.DEFAULT,
                Payload.of(size, size));
        Payload.check("unary reply", reply, size, size);
    }

    @Test
    void serverStreamingSendsEverySize() {
        Iterator<byte[]> replies = ClientCalls.blockingServerStreamingCall(channel, BytesMethods.GENERATE,
                CallOptions.DEFAULT, BytesMethods.encodeInts(STREAM_SIZES));
        for (int i = 0; i < STREAM_SIZES.length; i++) {
            Payload.check("streamed message " + i, replies.next(), i, STREAM_SIZES[i]);
        }
        assertFalse(replies.hasNext(), "no message after the last");
    }

    @Test
    void clientStreamingSendsEverySize() throws Exception {
        Responses summary = Responses.automatic();
        StreamObserver<byte[]> requests = ClientCalls.asyncClientStreamingCall(
                channel.newCall(BytesMethods.VERIFY, CallOptions.DEFAULT), summary);
        for (int i = 0; i < STREAM_SIZES.length; i++) {
            requests.onNext(Payload.of(i, STREAM_SIZES[i]));
        }
        requests.onCompleted();
        long total = IntStream.of(STREAM_SIZES).asLongStream().sum();
        assertArrayEquals(new long[] {STREAM_SIZES.length, total},
                BytesMethods.decodeSummary(summary.next(GrpcBed.BOUND)), "messages and bytes the server verified");
        assertEquals(Status.Code.OK, summary.awaitClose(GrpcBed.BOUND).getCode());
    }

    @Test
    void bidirectionalStreamingEchoesEverySizeInTurn() throws Exception {
        Responses echoes = Responses.automatic();
        StreamObserver<byte[]> requests = ClientCalls.asyncBidiStreamingCall(
                channel.newCall(BytesMethods.ECHO_STREAM, CallOptions.DEFAULT), echoes);
        for (int i = 0; i < STREAM_SIZES.length; i++) {
            requests.onNext(Payload.of(i, STREAM_SIZES[i]));
            Payload.check("echo " + i, echoes.next(GrpcBed.BOUND), i, STREAM_SIZES[i]);
        }
        requests.onCompleted();
        assertEquals(Status.Code.OK, echoes.awaitClose(GrpcBed.BOUND).getCode());
    }

    @Test
    void clientStreamingReportsACorruptMessage() throws Exception {
        Responses summary = Responses.automatic();
        StreamObserver<byte[]> requests = ClientCalls.asyncClientStreamingCall(
                channel.newCall(BytesMethods.VERIFY, CallOptions.DEFAULT), summary);
        byte[] corrupt = Payload.of(0, 1000);
        corrupt[777] ^= 1;
        requests.onNext(corrupt);
        requests.onCompleted();
        Status status = summary.awaitClose(GrpcBed.BOUND);
        assertEquals(Status.Code.INVALID_ARGUMENT, status.getCode());
        assertEquals("message 0: wrong byte at offset=777 seed=0", status.getDescription(),
                "the server's check sees a single flipped bit");
    }
}
