package io.smcd.it.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.grpc.CallOptions;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.smcd.channel.SmcdMode;
import io.smcd.it.ChannelModes;
import io.smcd.it.Payload;
import io.smcd.sim.testing.ChildJvm;
import java.util.Iterator;
import org.junit.jupiter.api.Test;

/**
 * The smcd gRPC server in a second JVM ({@link GrpcServerMain}) and an smcd channel here, sharing one private domain:
 * a 16 MiB unary call, a server stream and a bidirectional stream, every byte checked, over one connection that both
 * processes report as SMC-D. The child then shuts down cleanly, and once this side has too the domain is gone.
 */
class GrpcCrossProcessTest {
    @Test
    void callsToAServerInAnotherJvmRunOverSmcd() throws Exception {
        try (GrpcBed bed = new GrpcBed("it-grpc-xproc");
                ChildJvm child = ChildJvm.start(GrpcServerMain.class, bed.domain().directory().toString())) {
            int port = Integer.parseInt(child.expect("PORT ", GrpcBed.BOUND));
            GrpcBed.ClientSide client = bed.channel(GrpcBed.Transport.SMCD, port);

            byte[] reply = ClientCalls.blockingUnaryCall(client.channel, BytesMethods.ECHO, CallOptions.DEFAULT,
                    Payload.of(16, 16 << 20));
            Payload.check("unary reply", reply, 16, 16 << 20);

            int[] sizes = {0, 1, 65_537, 3 << 20};
            Iterator<byte[]> streamed = ClientCalls.blockingServerStreamingCall(client.channel, BytesMethods.GENERATE,
                    CallOptions.DEFAULT, BytesMethods.encodeInts(sizes));
            for (int i = 0; i < sizes.length; i++) {
                Payload.check("streamed message " + i, streamed.next(), i, sizes[i]);
            }
            assertFalse(streamed.hasNext(), "no message after the last");

            Responses echoes = Responses.automatic();
            StreamObserver<byte[]> requests = ClientCalls.asyncBidiStreamingCall(
                    client.channel.newCall(BytesMethods.ECHO_STREAM, CallOptions.DEFAULT), echoes);
            for (int i = 0; i < 5; i++) {
                requests.onNext(Payload.of(20 + i, 300_000));
                Payload.check("echo " + i, echoes.next(GrpcBed.BOUND), 20 + i, 300_000);
            }
            requests.onCompleted();
            assertEquals(Status.Code.OK, echoes.awaitClose(GrpcBed.BOUND).getCode());

            ChannelModes.assertSmcd("grpc client", client.made.channels(), 1, SmcdMode.SMCD_LOOPBACK);
            child.send("MODES");
            assertEquals("SMCD_LOOPBACK", child.expect("MODES ", GrpcBed.BOUND), "the child's accepted connections");

            child.send("QUIT");
            child.expect("BYE", GrpcBed.BOUND);
            assertEquals(0, child.waitFor(GrpcBed.BOUND), child.stderr());
        }
    }
}
