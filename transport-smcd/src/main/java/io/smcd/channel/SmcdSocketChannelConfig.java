package io.smcd.channel;

import io.netty.channel.ChannelOption;
import io.netty.channel.socket.DefaultSocketChannelConfig;
import io.smcd.sim.DmbSize;
import java.net.Socket;
import java.util.List;
import java.util.Map;

/**
 * The config of an {@link SmcdSocketChannel}: Netty's socket options on its TCP socket plus the
 * {@link SmcdChannelOption}s, which are read when the connection negotiates.
 */
final class SmcdSocketChannelConfig extends DefaultSocketChannelConfig {
    static final int DEFAULT_DMB_SIZE = 64 * 1024;
    static final List<SmcdMode> DEFAULT_DEVICES = List.of(SmcdMode.SMCD_LOOPBACK, SmcdMode.SMCD_COPY);

    private final Runnable autoReadCleared;
    private volatile boolean smcdEnabled = true;
    private volatile List<SmcdMode> devices = DEFAULT_DEVICES;
    private volatile int dmbSize = DEFAULT_DMB_SIZE;

    SmcdSocketChannelConfig(SmcdSocketChannel channel, Socket socket, Runnable autoReadCleared) {
        super(channel, socket);
        this.autoReadCleared = autoReadCleared;
    }

    @Override
    protected void autoReadCleared() {
        autoReadCleared.run();
    }

    @Override
    public Map<ChannelOption<?>, Object> getOptions() {
        return getOptions(super.getOptions(), SmcdChannelOption.SMCD_ENABLED, SmcdChannelOption.SMCD_DEVICES,
                SmcdChannelOption.SMCD_DMB_SIZE);
    }

    @SuppressWarnings("unchecked")
    @Override
    public <T> T getOption(ChannelOption<T> option) {
        if (option == SmcdChannelOption.SMCD_ENABLED) {
            return (T) Boolean.valueOf(smcdEnabled);
        }
        if (option == SmcdChannelOption.SMCD_DEVICES) {
            return (T) devices;
        }
        if (option == SmcdChannelOption.SMCD_DMB_SIZE) {
            return (T) Integer.valueOf(dmbSize);
        }
        return super.getOption(option);
    }

    @SuppressWarnings("unchecked")
    @Override
    public <T> boolean setOption(ChannelOption<T> option, T value) {
        validate(option, value);
        if (option == SmcdChannelOption.SMCD_ENABLED) {
            smcdEnabled = (Boolean) value;
        } else if (option == SmcdChannelOption.SMCD_DEVICES) {
            devices = checkDevices((List<SmcdMode>) value);
        } else if (option == SmcdChannelOption.SMCD_DMB_SIZE) {
            dmbSize = checkDmbSize((Integer) value);
        } else {
            return super.setOption(option, value);
        }
        return true;
    }

    boolean isSmcdEnabled() {
        return smcdEnabled;
    }

    List<SmcdMode> devices() {
        return devices;
    }

    int dmbSize() {
        return dmbSize;
    }

    static List<SmcdMode> checkDevices(List<SmcdMode> devices) {
        if (devices == null || devices.isEmpty() || devices.size() > 2
                || !devices.stream().allMatch(d -> d != null && d.isSmcd())
                || devices.stream().distinct().count() != devices.size()) {
            throw new IllegalArgumentException("SMCD_DEVICES=" + devices
                    + " must list SMCD_LOOPBACK and/or SMCD_COPY, each at most once");
        }
        return List.copyOf(devices);
    }

    static int checkDmbSize(int size) {
        if (!DmbSize.isValidSize(size)) {
            throw new IllegalArgumentException("SMCD_DMB_SIZE=" + size + " must be 16 KiB << n for n in [0, "
                    + DmbSize.MAX_CODE + "]");
        }
        return size;
    }
}
