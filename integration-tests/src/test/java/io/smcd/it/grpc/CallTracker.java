package io.smcd.it.grpc;

import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A server interceptor that counts, per method, the calls in progress (from their headers until gRPC reports them
 * complete or cancelled) and the calls cancelled, so that a test can see a call really end on the server side.
 *
 * <p>Thread-safe.
 */
final class CallTracker implements ServerInterceptor {
    private final ConcurrentMap<String, Gauge> inProgress = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Gauge> cancelled = new ConcurrentHashMap<>();

    Gauge inProgress(MethodDescriptor<?, ?> method) {
        return inProgress.computeIfAbsent(method.getFullMethodName(), name -> new Gauge());
    }

    /** Calls of {@code method} cancelled so far (a deadline, the client, or the server's shutdown). */
    Gauge cancelled(MethodDescriptor<?, ?> method) {
        return cancelled.computeIfAbsent(method.getFullMethodName(), name -> new Gauge());
    }

    /** Calls of any method in progress. */
    int inProgressTotal() {
        return inProgress.values().stream().mapToInt(Gauge::value).sum();
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        Gauge calls = inProgress(call.getMethodDescriptor());
        Gauge cancels = cancelled(call.getMethodDescriptor());
        calls.increment();
        return new SimpleForwardingServerCallListener<Q>(next.startCall(call, headers)) {
            @Override
            public void onComplete() {
                try {
                    super.onComplete();
                } finally {
                    calls.decrement();
                }
            }

            @Override
            public void onCancel() {
                try {
                    super.onCancel();
                } finally {
                    cancels.increment();
                    calls.decrement();
                }
            }
        };
    }
}
