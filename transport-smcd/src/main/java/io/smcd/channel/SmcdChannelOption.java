package io.smcd.channel;

import io.netty.channel.ChannelOption;
import java.util.List;

/**
 * Options of {@link SmcdSocketChannel} and {@link SmcdServerSocketChannel}, in the style of
 * {@code EpollChannelOption}. On a server, set the connection options with {@code childOption}; a server channel's own
 * {@link #SMCD_DEVICES} and {@link #SMCD_DMB_SIZE} apply to the connections it negotiates while the application does
 * not accept (see {@link SmcdServerSocketChannel}).
 *
 * @param <T> the option's value type
 */
public final class SmcdChannelOption<T> extends ChannelOption<T> {
    /**
     * Whether this channel negotiates SMC-D (default true). Off, a client connects as plain TCP and a server
     * registers no listener, so its clients use TCP too.
     */
    public static final ChannelOption<Boolean> SMCD_ENABLED = valueOf(SmcdChannelOption.class, "SMCD_ENABLED");

    /**
     * The ISM devices to offer, preferred first: {@link SmcdMode#SMCD_LOOPBACK} and/or {@link SmcdMode#SMCD_COPY}
     * (default both, loopback first). The accepting side proposes; the connecting side takes the first it also has.
     */
    public static final ChannelOption<List<SmcdMode>> SMCD_DEVICES = valueOf(SmcdChannelOption.class, "SMCD_DEVICES");

    /**
     * The size in bytes of this side's receive buffer (RMB): {@code 16 KiB << n} for n = 0..6 as in SMC-D, or up to
     * n = 15 (default 64 KiB). The peer's writes block when it is full.
     */
    public static final ChannelOption<Integer> SMCD_DMB_SIZE = valueOf(SmcdChannelOption.class, "SMCD_DMB_SIZE");

    @SuppressWarnings("deprecation")
    private SmcdChannelOption() {
        super(null);
    }
}
