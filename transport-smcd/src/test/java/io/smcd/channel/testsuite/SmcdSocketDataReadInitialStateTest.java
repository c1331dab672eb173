package io.smcd.channel.testsuite;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.testsuite.transport.TestsuitePermutation;
import io.netty.testsuite.transport.socket.SocketDataReadInitialStateTest;
import java.util.List;

class SmcdSocketDataReadInitialStateTest extends SocketDataReadInitialStateTest implements SmcdTestsuiteTest {
    @Override
    protected List<TestsuitePermutation.BootstrapComboFactory<ServerBootstrap, Bootstrap>> newFactories() {
        return SmcdSocketTestPermutation.INSTANCE.socket();
    }
}
