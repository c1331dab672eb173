package io.smcd.channel.testsuite;

import io.netty.bootstrap.Bootstrap;
import io.netty.testsuite.transport.TestsuitePermutation;
import io.netty.testsuite.transport.socket.SocketShutdownOutputBySelfTest;
import java.util.List;

class SmcdSocketShutdownOutputBySelfTest extends SocketShutdownOutputBySelfTest implements SmcdTestsuiteTest {
    @Override
    protected List<TestsuitePermutation.BootstrapFactory<Bootstrap>> newFactories() {
        return SmcdSocketTestPermutation.INSTANCE.clientSocket();
    }
}
