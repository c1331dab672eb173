package io.smcd.it.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.CallOptions;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/**
 * A call to a port nobody listens on fails with UNAVAILABLE, as gRPC maps a refused connection, whatever the
 * transport: a closed ephemeral port, and port 0 (which Linux refuses like any closed port).
 */
class GrpcUnreachablePortTest {
    private static Status.Code callTo(GrpcBed.Transport transport, int port) throws Exception {
        try (GrpcBed bed = new GrpcBed("it-grpc-refused")) {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                    () -> ClientCalls.blockingUnaryCall(bed.channel(transport, port).channel, BytesMethods.ECHO,
                            CallOptions.DEFAULT, new byte[1]));
            return e.getStatus().getCode();
        }
    }

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void closedPortIsUnavailableOverNio() throws Exception {
        assertEquals(Status.Code.UNAVAILABLE, callTo(GrpcBed.Transport.NIO, closedPort()));
    }

    @Test
    void closedPortIsUnavailableOverSmcd() throws Exception {
        assertEquals(Status.Code.UNAVAILABLE, callTo(GrpcBed.Transport.SMCD, closedPort()));
    }

    @Test
    void portZeroIsUnavailableOverNio() throws Exception {
        assertEquals(Status.Code.UNAVAILABLE, callTo(GrpcBed.Transport.NIO, 0));
    }

    @Test
    void portZeroIsUnavailableOverSmcd() throws Exception {
        assertEquals(Status.Code.UNAVAILABLE, callTo(GrpcBed.Transport.SMCD, 0));
    }
}
