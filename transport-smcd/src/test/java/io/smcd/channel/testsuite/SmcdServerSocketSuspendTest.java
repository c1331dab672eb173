package io.smcd.channel.testsuite;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.testsuite.transport.TestsuitePermutation;
import io.netty.testsuite.transport.socket.ServerSocketSuspendTest;
import java.util.List;

class SmcdServerSocketSuspendTest extends ServerSocketSuspendTest implements SmcdTestsuiteTest {
    @Override
    protected List<TestsuitePermutation.BootstrapFactory<ServerBootstrap>> newFactories() {
        return SmcdSocketTestPermutation.INSTANCE.serverSocket();
    }
}
