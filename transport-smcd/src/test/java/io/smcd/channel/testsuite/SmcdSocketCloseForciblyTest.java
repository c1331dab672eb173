package io.smcd.channel.testsuite;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.testsuite.transport.TestsuitePermutation;
import io.netty.testsuite.transport.socket.SocketCloseForciblyTest;
import io.smcd.channel.SmcdMode;
import java.util.List;

class SmcdSocketCloseForciblyTest extends SocketCloseForciblyTest implements SmcdTestsuiteTest {
    @Override
    protected List<TestsuitePermutation.BootstrapComboFactory<ServerBootstrap, Bootstrap>> newFactories() {
        return SmcdSocketTestPermutation.INSTANCE.socket();
    }

    /**
     * The server resets every connection it accepts before registering it, so no CLC message is ever sent: the
     * client falls back to TCP (reason PEER_ABORT) and then sees the reset, as a NIO client would.
     */
    @Override
    public SmcdMode expectedMode(String combo, String side, SmcdMode comboExpectation) {
        return SmcdMode.TCP;
    }
}
