package io.smcd.it.grpc;

import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The client side of one streaming call as a test reads it: messages in a queue, the final status, and the call's
 * request side (to send, to cancel, to ask for more). With {@link #manual(int)} the call asks for only that many
 * messages until {@link #request(int)} asks for more.
 *
 * <p>Thread-safe: gRPC delivers on its executor, the test reads from its own thread.
 */
final class Responses implements ClientResponseObserver<byte[], byte[]> {
    private final BlockingQueue<byte[]> messages = new LinkedBlockingQueue<>();
    private final CompletableFuture<Status> closed = new CompletableFuture<>();
    private final int initialRequest;
    private volatile ClientCallStreamObserver<byte[]> call;

    private Responses(int initialRequest) {
        this.initialRequest = initialRequest;
    }

    /** Receives every message as it comes (gRPC's automatic flow control). */
    static Responses automatic() {
        return new Responses(-1);
    }

    /** Receives {@code initial} messages, then only what {@link #request(int)} asks for. */
    static Responses manual(int initial) {
        return new Responses(initial);
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<byte[]> requestStream) {
        call = requestStream;
        if (initialRequest >= 0) {
            requestStream.disableAutoRequestWithInitial(initialRequest);
        }
    }

    @Override
    public void onNext(byte[] message) {
        messages.add(message);
    }

    @Override
    public void onError(Throwable t) {
        closed.complete(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
        closed.complete(Status.OK);
    }

    /** The next message, waiting up to {@code bound}. */
    byte[] next(Duration bound) throws InterruptedException {
        byte[] message = messages.poll(bound.toMillis(), TimeUnit.MILLISECONDS);
        if (message == null) {
            throw new AssertionError("no message within " + bound + "; closed=" + closed.getNow(null));
        }
        return message;
    }

    /** Messages received and not yet taken by {@link #next}. */
    int pending() {
        return messages.size();
    }

    /** The call's final status, waiting up to {@code bound}. */
    Status awaitClose(Duration bound) throws InterruptedException, ExecutionException, TimeoutException {
        return closed.get(bound.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Completes with the call's final status. */
    CompletableFuture<Status> closed() {
        return closed;
    }

    void request(int count) {
        call.request(count);
    }

    void cancel(String why) {
        call.cancel(why, null);
    }
}
