package io.smcd.bench.suite;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ReflectiveChannelFactory;
import io.smcd.bench.common.Percentiles;
import io.smcd.examples.grpc.BytesMarshaller;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The gRPC-java scenarios: a byte-array bench service (no protobuf, so the figures are gRPC's HTTP/2 framing and the
 * transport) in the server JVM, a gRPC-Netty channel in the client JVM, both on groups and channel classes of the
 * transport under test, exactly as the README's gRPC diff configures them. Calls run on the event loops
 * ({@code directExecutor}, as gRPC's own benchmarks do), so no thread hand-off hides the transport.
 * <ul>
 *   <li>{@code grpc-unary}: {@code --http-connections} unary calls in flight on one channel, 100-byte request echoed
 *       back and compared; calls per second.
 *   <li>{@code grpc-stream}: one server-streaming call after another, each {@value #MESSAGES_PER_CALL} messages of
 *       64 KiB, every byte compared; MB/s. The server sends only while the call is ready (gRPC's flow control).
 * </ul>
 */
final class GrpcScenario {
    static final String SERVICE = "smcd.bench.Bench";
    static final MethodDescriptor<byte[], byte[]> ECHO = method("Echo", MethodType.UNARY);
    static final MethodDescriptor<byte[], byte[]> STREAM = method("Stream", MethodType.SERVER_STREAMING);
    static final int UNARY_BYTES = 100;
    static final int MESSAGE_BYTES = 64 * 1024;
    static final int MESSAGES_PER_CALL = 256;
    /** The stream request: message count, message size and the seed of the messages' bytes. */
    private static final int STREAM_REQUEST_BYTES = Integer.BYTES * 2 + Long.BYTES;

    private GrpcScenario() {
    }

    private static MethodDescriptor<byte[], byte[]> method(String name, MethodType type) {
        return MethodDescriptor.<byte[], byte[]>newBuilder().setType(type)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, name))
                .setRequestMarshaller(BytesMarshaller.INSTANCE).setResponseMarshaller(BytesMarshaller.INSTANCE).build();
    }

    static ServerServiceDefinition service() {
        return ServerServiceDefinition.builder(SERVICE)
                .addMethod(ECHO, ServerCalls.asyncUnaryCall((request, responses) -> {
                    responses.onNext(request);
                    responses.onCompleted();
                }))
                .addMethod(STREAM, ServerCalls.asyncServerStreamingCall(GrpcScenario::stream))
                .build();
    }

    /** Starts the bench service on a group of {@code threads} loops of the transport (boss and workers). */
    static ScenarioServer startServer(NettyTransport transport, int threads) throws IOException {
        EventLoopGroup group = transport.newGroup(threads, "suite-grpc-server");
        try {
            NettyServerBuilder builder = NettyServerBuilder.forAddress(transport.bindAddress("grpc"))
                    .channelType(transport.serverChannel())
                    .bossEventLoopGroup(group)
                    .workerEventLoopGroup(group)
                    .directExecutor()
                    .addService(service());
            transport.smcdOptions().forEach((option, value) -> builder.withChildOption(NettyTransport.raw(option), value));
            Server server = builder.build().start();
            return new ScenarioServer() {
                @Override
                public SocketAddress address() {
                    return server.getListenSockets().get(0);
                }

                @Override
                public int loops() {
                    return NettyTransport.loops(group);
                }

                @Override
                public void close() {
                    try {
                        server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
                    }
                }
            };
        } catch (IOException | RuntimeException | Error e) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** Runs the client of {@code scenario} against {@code address}: a warm-up, then the window. */
    static SuiteResult runClient(NettyTransport transport, SuiteScenario scenario, SocketAddress address, int concurrency,
                                 int threads, int serverLoops, long warmupNanos, long windowNanos) throws Exception {
        EventLoopGroup group = transport.newGroup(threads, "suite-grpc-client");
        List<Channel> channels = new CopyOnWriteArrayList<>();
        ReflectiveChannelFactory<? extends Channel> classes = new ReflectiveChannelFactory<>(transport.clientChannel());
        NettyChannelBuilder builder = NettyChannelBuilder.forAddress(address)
                .channelFactory(() -> {
                    Channel channel = classes.newChannel();
                    channels.add(channel);
                    return channel;
                }, address.getClass())
                .eventLoopGroup(group)
                .directExecutor()
                .usePlaintext();
        transport.smcdOptions().forEach((option, value) -> builder.withOption(NettyTransport.raw(option), value));
        ManagedChannel channel = builder.build();
        try {
            long deadline = warmupNanos + windowNanos + TimeUnit.SECONDS.toNanos(30);
            SuiteResult result = scenario == SuiteScenario.GRPC_UNARY
                    ? unary(transport, channel, concurrency, warmupNanos, windowNanos, deadline)
                    : streaming(transport, channel, warmupNanos, windowNanos, deadline);
            String note = String.format(Locale.ROOT, "%s; 1 channel, %d client + %d server threads, directExecutor",
                    result.note(), NettyTransport.loops(group), serverLoops);
            result = new SuiteResult(result.transport(), result.scenario(), result.status(), result.value(), result.metrics(), note);
            return transport.checkChannels(result, channels);
        } finally {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        }
    }

    private static SuiteResult unary(NettyTransport transport, ManagedChannel channel, int concurrency, long warmupNanos,
                                     long windowNanos, long deadlineNanos) throws Exception {
        ClosedLoop loop = ClosedLoop.start(sequence -> {
            byte[] request = unaryPayload(sequence);
            CompletableFuture<byte[]> answer = new CompletableFuture<>();
            ClientCalls.asyncUnaryCall(channel.newCall(ECHO, CallOptions.DEFAULT), request, new StreamObserver<>() {
                @Override
                public void onNext(byte[] response) {
                    if (Arrays.equals(request, response)) {
                        answer.complete(response);
                    } else {
                        answer.completeExceptionally(new IllegalStateException("call " + sequence + " echoed other bytes"));
                    }
                }

                @Override
                public void onError(Throwable t) {
                    answer.completeExceptionally(t);
                }

                @Override
                public void onCompleted() {
                    answer.completeExceptionally(new IllegalStateException("call " + sequence + " completed without an answer"));
                }
            });
            return answer;
        }, concurrency, warmupNanos, windowNanos);
        loop.done().get(deadlineNanos, TimeUnit.NANOSECONDS);
        Histogram latencies = loop.latencies();
        Map<String, Double> metrics = Percentiles.micros(latencies);
        metrics.put("concurrency", (double) concurrency);
        return SuiteResult.ok(transport.transport(), SuiteScenario.GRPC_UNARY, loop.perSecond(), metrics,
                String.format(Locale.ROOT, "%d calls in flight, %d B echoed", concurrency, UNARY_BYTES));
    }

    private static SuiteResult streaming(NettyTransport transport, ManagedChannel channel, long warmupNanos, long windowNanos,
                                         long deadlineNanos) throws Exception {
        long measureFrom = System.nanoTime() + warmupNanos;
        long measureTo = measureFrom + windowNanos;
        AtomicLong windowBytes = new AtomicLong();
        long calls = 0;
        while (System.nanoTime() - measureTo < 0) {
            long seed = calls++;
            CompletableFuture<Void> call = new CompletableFuture<>();
            byte[] block = block(seed, MESSAGE_BYTES);
            ClientCalls.asyncServerStreamingCall(channel.newCall(STREAM, CallOptions.DEFAULT),
                    streamRequest(MESSAGES_PER_CALL, MESSAGE_BYTES, seed), new StreamObserver<>() {
                        private int next;

                        @Override
                        public void onNext(byte[] message) {
                            long now = System.nanoTime();
                            if (!isMessage(message, block, next)) {
                                call.completeExceptionally(new IllegalStateException("call " + seed + ": message " + next
                                        + " of " + message.length + " B is not the one sent"));
                            }
                            next++;
                            if (now - measureFrom >= 0 && now - measureTo < 0) {
                                windowBytes.addAndGet(message.length);
                            }
                        }

                        @Override
                        public void onError(Throwable t) {
                            call.completeExceptionally(t);
                        }

                        @Override
                        public void onCompleted() {
                            if (next == MESSAGES_PER_CALL) {
                                call.complete(null);
                            } else {
                                call.completeExceptionally(new IllegalStateException("call " + seed + " ended after " + next
                                        + " of " + MESSAGES_PER_CALL + " messages"));
                            }
                        }
                    });
            call.get(deadlineNanos, TimeUnit.NANOSECONDS);
        }
        double megabytesPerSecond = windowBytes.get() / 1e6 / (windowNanos / 1e9);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("megabytesPerSecond", megabytesPerSecond);
        metrics.put("bytes", (double) windowBytes.get());
        metrics.put("calls", (double) calls);
        return SuiteResult.ok(transport.transport(), SuiteScenario.GRPC_STREAM, megabytesPerSecond, metrics,
                String.format(Locale.ROOT, "server streaming, %d x 64 KiB per call, every byte compared", MESSAGES_PER_CALL));
    }

    /** The server side of {@link #STREAM}: the requested messages, each sent only when the call is ready for it. */
    private static void stream(byte[] request, StreamObserver<byte[]> responses) {
        ServerCallStreamObserver<byte[]> call = (ServerCallStreamObserver<byte[]>) responses;
        if (request.length != STREAM_REQUEST_BYTES) {
            call.onError(Status.INVALID_ARGUMENT.withDescription("request of " + request.length + " B, not "
                    + STREAM_REQUEST_BYTES).asRuntimeException());
            return;
        }
        ByteBuffer fields = ByteBuffer.wrap(request);
        int count = fields.getInt();
        int size = fields.getInt();
        if (count < 0 || size < Long.BYTES || size > 4 * MESSAGE_BYTES) {
            call.onError(Status.INVALID_ARGUMENT.withDescription("count=" + count + " size=" + size).asRuntimeException());
            return;
        }
        byte[] block = block(fields.getLong(), size);
        int[] sent = {0};
        Runnable drain = () -> {
            while (sent[0] < count && call.isReady()) {
                call.onNext(message(block, sent[0]++));
            }
            if (sent[0] == count) {
                sent[0]++;
                call.onCompleted();
            }
        };
        // With directExecutor the handler runs on the call's event loop, as this method does: no race on sent.
        call.setOnReadyHandler(drain);
        drain.run();
    }

    static byte[] unaryPayload(long sequence) {
        byte[] payload = new byte[UNARY_BYTES];
        ByteBuffer.wrap(payload).putLong(sequence);
        for (int i = Long.BYTES; i < payload.length; i++) {
            payload[i] = (byte) (sequence * 31 + i);
        }
        return payload;
    }

    static byte[] streamRequest(int count, int size, long seed) {
        return ByteBuffer.allocate(STREAM_REQUEST_BYTES).putInt(count).putInt(size).putLong(seed).array();
    }

    /** The bytes every message of a call shares, from the call's seed. */
    static byte[] block(long seed, int size) {
        byte[] block = new byte[size];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < size; i++) {
            block[i] = (byte) random.nextInt();
        }
        return block;
    }

    /** Message {@code index}: the block with the index in its first eight bytes. */
    static byte[] message(byte[] block, int index) {
        byte[] message = block.clone();
        ByteBuffer.wrap(message).putLong(index);
        return message;
    }

    static boolean isMessage(byte[] message, byte[] block, int index) {
        return message.length == block.length && ByteBuffer.wrap(message).getLong() == index
                && Arrays.equals(message, Long.BYTES, message.length, block, Long.BYTES, block.length);
    }
}
