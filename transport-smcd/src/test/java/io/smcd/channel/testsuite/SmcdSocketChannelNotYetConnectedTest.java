package io.smcd.channel.testsuite;

import io.netty.bootstrap.Bootstrap;
import io.netty.testsuite.transport.TestsuitePermutation;
import io.netty.testsuite.transport.socket.SocketChannelNotYetConnectedTest;
import java.util.List;

class SmcdSocketChannelNotYetConnectedTest extends SocketChannelNotYetConnectedTest implements SmcdTestsuiteTest {
    @Override
    protected List<TestsuitePermutation.BootstrapFactory<Bootstrap>> newFactories() {
        return SmcdSocketTestPermutation.INSTANCE.clientSocket();
    }
}
