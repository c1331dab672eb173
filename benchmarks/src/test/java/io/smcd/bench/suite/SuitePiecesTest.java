package io.smcd.bench.suite;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SuitePiecesTest {
    @Test
    void dataRequestRoundTrip() {
        DataRequest request = new DataRequest(true, 64000, -7, 500_000_000L, 1_000_000_000L, true);
        ByteBuf buffer = Unpooled.buffer();
        request.writeTo(buffer);
        assertEquals(DataRequest.LENGTH, buffer.readableBytes());
        assertEquals(request, DataRequest.readFrom(buffer));
        assertThrows(IllegalArgumentException.class, () -> DataRequest.readFrom(Unpooled.wrappedBuffer(new byte[DataRequest.LENGTH])));
    }

    @Test
    void cpuTimesAreSummedPerThreadAndTheBusiestIsNamed() {
        Map<String, ProcessCpu.ThreadTime> before = Map.of("1", new ProcessCpu.ThreadTime("main", 100), "2", new ProcessCpu.ThreadTime("loop", 1_000));
        Map<String, ProcessCpu.ThreadTime> after = Map.of("1", new ProcessCpu.ThreadTime("main", 150), "2", new ProcessCpu.ThreadTime("loop", 21_000),
                "3", new ProcessCpu.ThreadTime("new", 500));
        assertEquals(50 + 20_000 + 500, ProcessCpu.used(before, after));
        assertEquals("loop 2.00 %", ProcessCpu.busiest(before, after, 1_000_000));
        assertEquals("", ProcessCpu.busiest(after, after, 1_000_000));
    }

    @Test
    void addressesRenderAndParseAndOnlyLoopbackIsAccepted() {
        NettyTransport nio = new NettyTransport(SuiteTransport.NIO_TCP, null, null, 65536, -1);
        assertEquals("tcp:127.0.0.1:8080", NettyTransport.render(new InetSocketAddress("127.0.0.1", 8080)));
        assertEquals(new InetSocketAddress("127.0.0.1", 8080), nio.parse("tcp:127.0.0.1:8080"));
        assertThrows(IllegalArgumentException.class, () -> nio.parse("tcp:198.51.100.254:80"));
        NettyTransport uds = new NettyTransport(SuiteTransport.NIO_UDS, null, java.nio.file.Paths.get("/tmp/x"), 65536, -1);
        assertEquals("uds:/tmp/x/nio-uds-echo.sock", NettyTransport.render(uds.bindAddress("echo")));
        assertEquals(uds.bindAddress("echo"), uds.parse("uds:/tmp/x/nio-uds-echo.sock"));
        assertEquals(java.nio.file.Paths.get("/tmp/x/nio-uds-http.sock"), NettyTransport.socketPath(uds.bindAddress("http")));
        NettyTransport epoll = new NettyTransport(SuiteTransport.EPOLL_UDS, null, java.nio.file.Paths.get("/tmp/x"), 65536, -1);
        assertEquals(java.nio.file.Paths.get("/tmp/x/epoll-uds-http.sock"), NettyTransport.socketPath(epoll.bindAddress("http")));
        assertThrows(IllegalArgumentException.class, () -> NettyTransport.socketPath(new InetSocketAddress("127.0.0.1", 1)));
    }
}
