package io.smcd.channel.process;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.smcd.channel.SmcdSocketChannel;
import io.smcd.sim.SmcdReason;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;

/**
 * Run as another Unix user by {@link ForeignUserTest}: tries to reach a domain it does not own, then connects to the
 * domain's server as an smcd client, once naming that domain and once with a domain of its own. One stdout line per
 * attempt: {@code DENIED <what>} or {@code READ <what>} for file access, {@code CONNECTED <label> <mode> <local reason>}
 * plus {@code ECHO ok|bad} for connections, then {@code DONE}.
 *
 * <p>Arguments: the victim domain, a file in it, the server's pid, its port, a domain directory of this user's own.
 */
public final class ForeignUserMain {
    private ForeignUserMain() {
    }

    public static void main(String[] args) throws Exception {
        Path victimDomain = Paths.get(args[0]);
        Path victimFile = Paths.get(args[1]);
        String serverPid = args[2];
        InetSocketAddress server = new InetSocketAddress("127.0.0.1", Integer.parseInt(args[3]));
        Path ownDomain = Paths.get(args[4]);

        attempt("list " + victimDomain, () -> Files.list(victimDomain).close());
        attempt("read " + victimFile, () -> Files.readAllBytes(victimFile));
        attempt("read /proc/" + serverPid + "/maps", () -> Files.readAllBytes(Paths.get("/proc", serverPid, "maps")));
        attempt("list /proc/" + serverPid + "/map_files", () -> Files.list(Paths.get("/proc", serverPid, "map_files")).close());
        connect("their-domain", victimDomain, server);
        connect("own-domain", ownDomain, server);
        EchoServerMain.out("DONE");
    }

    private interface Access {
        void run() throws IOException;
    }

    private static void attempt(String what, Access access) {
        try {
            access.run();
            EchoServerMain.out("READ " + what);
        } catch (IOException e) {
            EchoServerMain.out("DENIED " + what);
        }
    }

    private static void connect(String label, Path domain, InetSocketAddress server) throws Exception {
        EventLoopGroup group = Clients.group(1, domain);
        try {
            CollectingHandler collector = new CollectingHandler();
            Channel channel = Clients.smcd(group).handler(collector).connect(server).sync().channel();
            SmcdSocketChannel smcd = (SmcdSocketChannel) channel;
            EchoServerMain.out("CONNECTED " + label + " " + smcd.mode() + " "
                    + (smcd.fallbackReason() == null ? "-" : SmcdReason.name(smcd.fallbackReason().localCode())));
            channel.writeAndFlush(Unpooled.wrappedBuffer(PingExchange.PING)).sync();
            byte[] echo = collector.awaitBytes(PingExchange.PING.length, PingExchange.BOUND);
            EchoServerMain.out("ECHO " + (Arrays.equals(PingExchange.PING, echo) ? "ok" : "bad"));
            channel.close().sync();
        } finally {
            Clients.shutdown(group);
        }
    }
}
