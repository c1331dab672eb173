package io.smcd.examples.grpc;

import io.grpc.MethodDescriptor;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The greeter service without protobuf: hand-written method descriptors over {@link BytesMarshaller} and their server
 * side. {@link #SAY_HELLO} (unary) answers a UTF-8 name with {@code Hello, <name>!}; {@link #STREAM_GREETINGS} (server
 * streaming) answers a request of a count (4 bytes, big-endian) and a name with that many numbered greetings.
 *
 * <p>Immutable and thread-safe.
 */
final class Greeter {
    static final String SERVICE = "smcd.examples.Greeter";
    static final MethodDescriptor<byte[], byte[]> SAY_HELLO = method("SayHello", MethodType.UNARY);
    static final MethodDescriptor<byte[], byte[]> STREAM_GREETINGS = method("StreamGreetings",
            MethodType.SERVER_STREAMING);
    /** The most greetings one streaming call may ask for. */
    static final int MAX_GREETINGS = 1_000_000;

    private Greeter() {
    }

    private static MethodDescriptor<byte[], byte[]> method(String name, MethodType type) {
        return MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(type)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, name))
                .setRequestMarshaller(BytesMarshaller.INSTANCE)
                .setResponseMarshaller(BytesMarshaller.INSTANCE)
                .build();
    }

    static ServerServiceDefinition service() {
        return ServerServiceDefinition.builder(SERVICE)
                .addMethod(SAY_HELLO, ServerCalls.asyncUnaryCall(Greeter::sayHello))
                .addMethod(STREAM_GREETINGS, ServerCalls.asyncServerStreamingCall(Greeter::streamGreetings))
                .build();
    }

    static String greeting(String name) {
        return "Hello, " + name + "!";
    }

    static String greeting(int number, String name) {
        return "Hello #" + number + ", " + name + "!";
    }

    static byte[] streamRequest(int count, String name) {
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(Integer.BYTES + utf8.length).putInt(count).put(utf8).array();
    }

    private static void sayHello(byte[] name, StreamObserver<byte[]> responses) {
        responses.onNext(greeting(new String(name, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        responses.onCompleted();
    }

    private static void streamGreetings(byte[] request, StreamObserver<byte[]> responses) {
        if (request.length < Integer.BYTES) {
            responses.onError(Status.INVALID_ARGUMENT.withDescription("request.length=" + request.length
                    + " must hold a count").asRuntimeException());
            return;
        }
        ByteBuffer buffer = ByteBuffer.wrap(request);
        int count = buffer.getInt();
        if (count < 0 || count > MAX_GREETINGS) {
            responses.onError(Status.INVALID_ARGUMENT.withDescription("count=" + count + " must be in [0, "
                    + MAX_GREETINGS + "]").asRuntimeException());
            return;
        }
        String name = StandardCharsets.UTF_8.decode(buffer).toString();
        for (int i = 1; i <= count; i++) {
            responses.onNext(greeting(i, name).getBytes(StandardCharsets.UTF_8));
        }
        responses.onCompleted();
    }
}
