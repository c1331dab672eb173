package io.smcd.it.grpc;

import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.smcd.it.Payload;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The server side of {@link BytesMethods}: every payload it receives is checked byte by byte, every payload it sends
 * is {@link Payload} numbered as the method says. {@link BytesMethods#HOLD} calls wait in a queue until
 * {@link #answerHeldCall} answers the oldest.
 *
 * <p>Thread-safe: gRPC runs each call's callbacks one at a time, calls concurrently.
 */
final class BytesService {
    private final BlockingQueue<Held> held = new LinkedBlockingQueue<>();

    ServerServiceDefinition definition() {
        return ServerServiceDefinition.builder(BytesMethods.SERVICE)
                .addMethod(BytesMethods.ECHO, ServerCalls.asyncUnaryCall(BytesService::echo))
                .addMethod(BytesMethods.GENERATE, ServerCalls.asyncServerStreamingCall(BytesService::generate))
                .addMethod(BytesMethods.VERIFY, ServerCalls.asyncClientStreamingCall(BytesService::verify))
                .addMethod(BytesMethods.ECHO_STREAM, ServerCalls.asyncBidiStreamingCall(BytesService::echoStream))
                .addMethod(BytesMethods.HOLD, ServerCalls.asyncUnaryCall(this::hold))
                .addMethod(BytesMethods.ENDLESS, ServerCalls.asyncServerStreamingCall(BytesService::endless))
                .build();
    }

    /** Answers the oldest held call with its own request, waiting up to {@code bound} for one to arrive. */
    void answerHeldCall(Duration bound) throws InterruptedException {
        Held call = held.poll(bound.toMillis(), TimeUnit.MILLISECONDS);
        if (call == null) {
            throw new AssertionError("no held call within " + bound);
        }
        call.responses.onNext(call.request);
        call.responses.onCompleted();
    }

    private static void echo(byte[] request, StreamObserver<byte[]> responses) {
        responses.onNext(request);
        responses.onCompleted();
    }

    private static void generate(byte[] request, StreamObserver<byte[]> responses) {
        int[] sizes = BytesMethods.decodeInts(request);
        for (int i = 0; i < sizes.length; i++) {
            responses.onNext(Payload.of(i, sizes[i]));
        }
        responses.onCompleted();
    }

    private static StreamObserver<byte[]> verify(StreamObserver<byte[]> responses) {
        return new StreamObserver<>() {
            private int messages;
            private long bytes;
            private boolean failed;

            @Override
            public void onNext(byte[] message) {
                if (failed) {
                    return;
                }
                try {
                    Payload.checkRange("message " + messages, message, 0, message.length, messages, 0);
                } catch (AssertionError e) {
                    failed = true;
                    responses.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
                    return;
                }
                messages++;
                bytes += message.length;
            }

            @Override
            public void onError(Throwable t) {
                failed = true;
            }

            @Override
            public void onCompleted() {
                if (!failed) {
                    responses.onNext(BytesMethods.encodeSummary(messages, bytes));
                    responses.onCompleted();
                }
            }
        };
    }

    private static StreamObserver<byte[]> echoStream(StreamObserver<byte[]> responses) {
        return new StreamObserver<>() {
            @Override
            public void onNext(byte[] message) {
                responses.onNext(message);
            }

            @Override
            public void onError(Throwable t) {
                // The call is over; there is nobody left to answer.
            }

            @Override
            public void onCompleted() {
                responses.onCompleted();
            }
        };
    }

    private void hold(byte[] request, StreamObserver<byte[]> responses) {
        Held call = new Held(request, responses);
        ((ServerCallStreamObserver<byte[]>) responses).setOnCancelHandler(() -> held.remove(call));
        held.add(call);
    }

    private static void endless(byte[] request, StreamObserver<byte[]> responses) {
        ServerCallStreamObserver<byte[]> call = (ServerCallStreamObserver<byte[]>) responses;
        int seed = BytesMethods.decodeInts(request)[0];
        int[] sent = {0};
        // With a cancel handler set, a message sent after the cancel is dropped instead of thrown at the sender.
        call.setOnCancelHandler(() -> { });
        // gRPC runs a call's handlers one at a time, so sent[] needs no further guard.
        call.setOnReadyHandler(() -> {
            while (call.isReady() && !call.isCancelled()) {
                call.onNext(Payload.of(seed + sent[0]++, BytesMethods.ENDLESS_MESSAGE_BYTES));
            }
        });
    }

    /** A {@link BytesMethods#HOLD} call waiting for its answer. */
    private static final class Held {
        final byte[] request;
        final StreamObserver<byte[]> responses;

        Held(byte[] request, StreamObserver<byte[]> responses) {
            this.request = request;
            this.responses = responses;
        }
    }
}
