package io.smcd.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.socket.SocketChannelConfig;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SmcdChannelOptionTest {
    @Test
    void defaultsAndRoundTrip() {
        SmcdSocketChannel channel = new SmcdSocketChannel();
        try {
            SocketChannelConfig config = channel.config();
            assertTrue(config.getOption(SmcdChannelOption.SMCD_ENABLED));
            assertEquals(List.of(SmcdMode.SMCD_LOOPBACK, SmcdMode.SMCD_COPY), config.getOption(SmcdChannelOption.SMCD_DEVICES));
            assertEquals(64 * 1024, config.getOption(SmcdChannelOption.SMCD_DMB_SIZE));
            assertTrue(config.setOption(SmcdChannelOption.SMCD_ENABLED, false));
            assertTrue(config.setOption(SmcdChannelOption.SMCD_DEVICES, List.of(SmcdMode.SMCD_COPY)));
            assertTrue(config.setOption(SmcdChannelOption.SMCD_DMB_SIZE, 1 << 20));
            assertFalse(config.getOption(SmcdChannelOption.SMCD_ENABLED));
            assertEquals(List.of(SmcdMode.SMCD_COPY), config.getOption(SmcdChannelOption.SMCD_DEVICES));
            assertEquals(1 << 20, config.getOptions().get(SmcdChannelOption.SMCD_DMB_SIZE));
            assertEquals(SmcdMode.TCP, channel.mode());
        } finally {
            channel.unsafe().closeForcibly();
        }
    }

    @Test
    void rejectsImpossibleValues() {
        SmcdSocketChannel channel = new SmcdSocketChannel();
        try {
            SocketChannelConfig config = channel.config();
            assertThrows(IllegalArgumentException.class, () -> config.setOption(SmcdChannelOption.SMCD_DMB_SIZE, 100_000));
            assertThrows(IllegalArgumentException.class, () -> config.setOption(SmcdChannelOption.SMCD_DEVICES, List.of()));
            assertThrows(IllegalArgumentException.class, () -> config.setOption(SmcdChannelOption.SMCD_DEVICES, List.of(SmcdMode.TCP)));
            assertThrows(IllegalArgumentException.class, () -> config.setOption(SmcdChannelOption.SMCD_DEVICES,
                    List.of(SmcdMode.SMCD_COPY, SmcdMode.SMCD_COPY)));
            assertThrows(IllegalArgumentException.class, () -> config.setOption(SmcdChannelOption.SMCD_DEVICES,
                    Arrays.asList(SmcdMode.SMCD_COPY, null)));
        } finally {
            channel.unsafe().closeForcibly();
        }
    }

    @Test
    void serverChannelKnowsTheEnableOptionAndTheOptionsOfConnectionsNegotiatedBeforeAccept() {
        SmcdServerSocketChannel server = new SmcdServerSocketChannel();
        try {
            assertTrue(server.config().getOption(SmcdChannelOption.SMCD_ENABLED));
            assertTrue(server.config().setOption(SmcdChannelOption.SMCD_ENABLED, false));
            assertFalse(server.config().getOption(SmcdChannelOption.SMCD_ENABLED));
            assertFalse(server.isSmcdListening());
            assertEquals(64 * 1024, server.config().getOption(SmcdChannelOption.SMCD_DMB_SIZE));
            assertTrue(server.config().setOption(SmcdChannelOption.SMCD_DMB_SIZE, 1 << 20));
            assertTrue(server.config().setOption(SmcdChannelOption.SMCD_DEVICES, List.of(SmcdMode.SMCD_COPY)));
            assertEquals(1 << 20, server.config().getOptions().get(SmcdChannelOption.SMCD_DMB_SIZE));
            assertEquals(List.of(SmcdMode.SMCD_COPY), server.config().getOption(SmcdChannelOption.SMCD_DEVICES));
            assertThrows(IllegalArgumentException.class,
                    () -> server.config().setOption(SmcdChannelOption.SMCD_DMB_SIZE, 100_000));
        } finally {
            server.unsafe().closeForcibly();
        }
    }

    @Test
    void availabilityFollowsNettysConvention() {
        assertEquals(Smcd.unavailabilityCause() == null, Smcd.isAvailable());
        if (Smcd.isAvailable()) {
            Smcd.ensureAvailability();
        } else {
            assertThrows(UnsatisfiedLinkError.class, Smcd::ensureAvailability);
        }
    }
}
