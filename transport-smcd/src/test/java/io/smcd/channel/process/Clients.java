package io.smcd.channel.process;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.concurrent.Future;
import io.smcd.channel.SmcdEventLoopGroup;
import io.smcd.channel.SmcdIoHandlerConfig;
import io.smcd.channel.SmcdSocketChannel;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The test JVM's side: smcd client groups and bootstraps on a given domain, and their orderly shutdown. */
final class Clients {
    private Clients() {
    }

    static SmcdEventLoopGroup group(int threads, Path domain) {
        return new SmcdEventLoopGroup(threads, new SmcdIoHandlerConfig().setDomainDirectory(domain));
    }

    static Bootstrap smcd(EventLoopGroup group) {
        return new Bootstrap().group(group).channel(SmcdSocketChannel.class)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024));
    }

    /** Shuts {@code group} down and waits for it, so its handlers have released their domain when this returns. */
    static void shutdown(EventLoopGroup group) {
        Future<?> terminated = group.shutdownGracefully(0, 5, TimeUnit.SECONDS);
        if (!terminated.awaitUninterruptibly(60, TimeUnit.SECONDS)) {
            throw new AssertionError("event loop group did not terminate within 60 s: " + group);
        }
    }
}
