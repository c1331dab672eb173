package io.smcd.examples.grpc;

import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * gRPC messages as plain byte arrays, for services without protobuf: the message is its bytes. The benchmark suite's
 * gRPC scenarios use it too.
 *
 * <p>Stateless and thread-safe.
 */
public final class BytesMarshaller implements MethodDescriptor.Marshaller<byte[]> {
    public static final BytesMarshaller INSTANCE = new BytesMarshaller();

    private BytesMarshaller() {
    }

    @Override
    public InputStream stream(byte[] value) {
        return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
        try {
            return stream.readAllBytes();
        } catch (IOException e) {
            throw Status.INTERNAL.withDescription("cannot read message").withCause(e).asRuntimeException();
        }
    }
}
