package io.smcd.channel.testsuite;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.testsuite.transport.TestsuitePermutation;
import io.netty.testsuite.transport.socket.SocketShutdownOutputByPeerTest;
import java.util.List;

class SmcdSocketShutdownOutputByPeerTest extends SocketShutdownOutputByPeerTest implements SmcdTestsuiteTest {
    @Override
    protected List<TestsuitePermutation.BootstrapFactory<ServerBootstrap>> newFactories() {
        return SmcdSocketTestPermutation.INSTANCE.serverSocket();
    }
}
