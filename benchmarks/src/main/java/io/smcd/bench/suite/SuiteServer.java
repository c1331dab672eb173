package io.smcd.bench.suite;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.smcd.bench.common.PeerProcess;
import io.smcd.bench.common.PeerSide;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The server JVM of one transport: an echo port and a data port ({@link DataServerHandler}) on one event loop group,
 * and on request a scenario's own server ({@link ScenarioServer}). Started and spoken to by {@link BenchSuite} over
 * {@link SuiteProtocol}; exits when told to, when its stdin ends, or when its parent is gone.
 *
 * <p>Arguments: {@code --transport --domain --sockets --dmb --spin --threads}.
 */
public final class SuiteServer {
    private SuiteServer() {
    }

    public static void main(String[] args) {
        PeerSide.main(() -> run(SuiteChild.start(args)));
    }

    private static void run(SuiteChild child) throws Exception {
        NettyTransport transport = child.transport();
        EventLoopGroup group = transport.newGroup(Integer.parseInt(child.argument("threads", "1")), "suite-server");
        List<Channel> servers = new ArrayList<>();
        ScenarioServer scenarioServer = null;
        boolean told = false;
        try {
            Channel echo = bind(group, transport, "echo", () -> EchoHandler.INSTANCE);
            servers.add(echo);
            Channel data = bind(group, transport, "data", DataServerHandler::new);
            servers.add(data);
            PeerSide.answer(PeerProcess.READY, "echo=" + NettyTransport.render(echo.localAddress())
                    + " data=" + NettyTransport.render(data.localAddress()));
            BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = commands.readLine()) != null) {
                String command = line.trim();
                if (command.equals(PeerProcess.EXIT)) {
                    told = true;
                    break;
                }
                if (command.startsWith(SuiteProtocol.SERVER_START + " ")) {
                    if (scenarioServer != null) {
                        throw new IllegalStateException("a scenario server is running already");
                    }
                    String[] words = command.split(" ");
                    try {
                        scenarioServer = ScenarioServer.start(transport, SuiteScenario.ofOption(words[1]), Integer.parseInt(words[2]));
                        PeerSide.answer(SuiteProtocol.SERVER_STARTED, NettyTransport.render(scenarioServer.address()) + " "
                                + scenarioServer.loops());
                    } catch (Exception | LinkageError e) {
                        // Not fatal: the scenario is reported as not runnable here, the others go on.
                        PeerSide.answer(SuiteProtocol.SERVER_STARTED, "none " + String.valueOf(e).replace('\n', ' '));
                    }
                } else if (command.equals(SuiteProtocol.SERVER_STOP)) {
                    if (scenarioServer != null) {
                        scenarioServer.close();
                        scenarioServer = null;
                    }
                    PeerSide.answer(SuiteProtocol.SERVER_STOPPED, "");
                } else if (!command.isEmpty()) {
                    throw new IllegalArgumentException("command=" + command + " unknown");
                }
            }
        } finally {
            if (scenarioServer != null) {
                scenarioServer.close();
            }
            for (Channel server : servers) {
                server.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
            }
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
            if (!told) {
                child.cleanUpIfOrphaned();
            }
        }
        PeerSide.answer(PeerProcess.BYE, "");
    }

    private static Channel bind(EventLoopGroup group, NettyTransport transport, String role, Supplier<ChannelHandler> handler)
            throws InterruptedException {
        SocketAddress address = transport.bindAddress(role);
        return transport.configure(new ServerBootstrap().group(group))
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channel.pipeline().addLast(handler.get());
                    }
                })
                .bind(address).sync().channel();
    }
}
