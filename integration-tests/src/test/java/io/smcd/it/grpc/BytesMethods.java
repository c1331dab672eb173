package io.smcd.it.grpc;

import io.grpc.MethodDescriptor;
import io.grpc.MethodDescriptor.MethodType;
import java.nio.ByteBuffer;

/**
 * The methods of the test service {@value #SERVICE}, hand-written descriptors over {@link ByteArrayMarshaller}, and the
 * encodings of their small control messages.
 *
 * <ul>
 *   <li>{@link #ECHO} (unary): the request back.
 *   <li>{@link #GENERATE} (server streaming): for a list of sizes, message {@code i} is payload {@code i} of
 *       {@code sizes[i]} bytes.
 *   <li>{@link #VERIFY} (client streaming): checks that message {@code i} is payload {@code i}; answers the count and
 *       the total bytes.
 *   <li>{@link #ECHO_STREAM} (bidirectional): every message back, until the client completes.
 *   <li>{@link #HOLD} (unary): no answer until the test releases the call, or it is cancelled.
 *   <li>{@link #ENDLESS} (server streaming): {@value #ENDLESS_MESSAGE_BYTES}-byte payloads numbered from the request's
 *       seed, as fast as flow control allows, until cancelled.
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
final class BytesMethods {
    static final String SERVICE = "smcd.it.Bytes";
    static final int ENDLESS_MESSAGE_BYTES = 16 * 1024;

    static final MethodDescriptor<byte[], byte[]> ECHO = method("Echo", MethodType.UNARY);
    static final MethodDescriptor<byte[], byte[]> GENERATE = method("Generate", MethodType.SERVER_STREAMING);
    static final MethodDescriptor<byte[], byte[]> VERIFY = method("Verify", MethodType.CLIENT_STREAMING);
    static final MethodDescriptor<byte[], byte[]> ECHO_STREAM = method("EchoStream", MethodType.BIDI_STREAMING);
    static final MethodDescriptor<byte[], byte[]> HOLD = method("Hold", MethodType.UNARY);
    static final MethodDescriptor<byte[], byte[]> ENDLESS = method("Endless", MethodType.SERVER_STREAMING);

    private BytesMethods() {
    }

    private static MethodDescriptor<byte[], byte[]> method(String name, MethodType type) {
        return MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(type)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, name))
                .setRequestMarshaller(ByteArrayMarshaller.INSTANCE)
                .setResponseMarshaller(ByteArrayMarshaller.INSTANCE)
                .build();
    }

    static byte[] encodeInts(int... values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * Integer.BYTES);
        for (int value : values) {
            buffer.putInt(value);
        }
        return buffer.array();
    }

    static int[] decodeInts(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        int[] values = new int[bytes.length / Integer.BYTES];
        for (int i = 0; i < values.length; i++) {
            values[i] = buffer.getInt();
        }
        return values;
    }

    /** {@link #VERIFY}'s answer: messages and bytes received. */
    static byte[] encodeSummary(int messages, long bytes) {
        return ByteBuffer.allocate(Integer.BYTES + Long.BYTES).putInt(messages).putLong(bytes).array();
    }

    static long[] decodeSummary(byte[] summary) {
        ByteBuffer buffer = ByteBuffer.wrap(summary);
        return new long[] {buffer.getInt(), buffer.getLong()};
    }
}
