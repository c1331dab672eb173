package io.smcd.it.grpc;

import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.smcd.channel.SmcdEventLoopGroup;
import io.smcd.channel.SmcdIoHandlerConfig;
import io.smcd.channel.SmcdServerSocketChannel;
import io.smcd.channel.SmcdSocketChannel;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The {@link BytesService} on an smcd gRPC server in a child JVM, for {@link GrpcCrossProcessTest}. Argument: the SMC-D
 * domain directory. Prints {@code PORT <port>} once serving; answers {@code MODES} with
 * {@code MODES <mode>,<mode>...} of the connections it accepted; on {@code QUIT} (or end of input) shuts everything
 * down and prints {@code BYE}.
 */
public final class GrpcServerMain {
    private GrpcServerMain() {
    }

    public static void main(String[] args) throws Exception {
        SmcdIoHandlerConfig config = new SmcdIoHandlerConfig().setDomainDirectory(Paths.get(args[0]));
        EventLoopGroup group = new SmcdEventLoopGroup(2, config);
        ExecutorService executor = Executors.newCachedThreadPool();
        ChannelRecorder accepted = new ChannelRecorder();
        try {
            Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                    .channelFactory(accepted.serverFactory(SmcdServerSocketChannel::new))
                    .bossEventLoopGroup(group)
                    .workerEventLoopGroup(group)
                    .executor(executor)
                    .maxInboundMessageSize(GrpcBed.MAX_MESSAGE_BYTES)
                    .addService(new BytesService().definition())
                    .build()
                    .start();
            System.out.println("PORT " + server.getPort());
            BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = commands.readLine(); line != null && !line.equals("QUIT"); line = commands.readLine()) {
                if (line.equals("MODES")) {
                    System.out.println("MODES " + accepted.channels().stream().map(GrpcServerMain::mode)
                            .collect(Collectors.joining(",")));
                }
            }
            server.shutdownNow().awaitTermination(30, TimeUnit.SECONDS);
        } finally {
            executor.shutdownNow();
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        }
        System.out.println("BYE");
    }

    private static String mode(Channel channel) {
        return channel instanceof SmcdSocketChannel ? ((SmcdSocketChannel) channel).mode().name()
                : channel.getClass().getSimpleName();
    }
}
