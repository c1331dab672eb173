package io.smcd.channel.testsuite;

import io.netty.bootstrap.Bootstrap;
import io.netty.testsuite.transport.TestsuitePermutation;
import io.netty.testsuite.transport.socket.WriteBeforeRegisteredTest;
import java.util.List;

class SmcdWriteBeforeRegisteredTest extends WriteBeforeRegisteredTest implements SmcdTestsuiteTest {
    @Override
    protected List<TestsuitePermutation.BootstrapFactory<Bootstrap>> newFactories() {
        return SmcdSocketTestPermutation.INSTANCE.clientSocket();
    }
}
