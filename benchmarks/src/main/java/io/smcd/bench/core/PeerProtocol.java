package io.smcd.bench.core;

import io.smcd.bench.common.PeerProcess;
import io.smcd.bench.common.PingMessage;

/**
 * The line protocol between CoreBench (parent) and {@link CoreBenchPeer} (child) over the child's stdin and stdout,
 * on top of {@link PeerProcess}'s lines: one command per line, answers prefixed by {@link PeerProcess#ANSWER_PREFIX}.
 *
 * <pre>
 *  parent                                   child
 *                                           READY &lt;pid&gt;
 *  SMCD-CONNECT &lt;device&gt; &lt;token&gt; &lt;ring&gt;   SMCD-ACCEPTED &lt;token&gt;   (hex tokens)
 *  TCP-CONNECT &lt;port&gt;                      TCP-CONNECTED
 *  THROUGHPUT &lt;write size&gt; &lt;seed&gt;          THROUGHPUT-STARTED, and after STOP: THROUGHPUT-DONE &lt;bytes&gt;
 *  STOP                                     (ends a throughput run; handled out of band)
 *  PINGPONG &lt;message size&gt;                 PINGPONG-STARTED, after the stop message: PINGPONG-DONE &lt;count&gt;
 *  CLOSE                                    CLOSED
 *  EXIT                                     BYE, then the child exits
 *                                           ERROR &lt;text&gt;, at any time, before the child exits with 1
 * </pre>
 * The ping-pong stop message is {@link PingMessage#STOP_SEQUENCE}.
 */
final class PeerProtocol {
    static final String SMCD_CONNECT = "SMCD-CONNECT";
    static final String SMCD_ACCEPTED = "SMCD-ACCEPTED";
    static final String TCP_CONNECT = "TCP-CONNECT";
    static final String TCP_CONNECTED = "TCP-CONNECTED";
    static final String THROUGHPUT = "THROUGHPUT";
    static final String THROUGHPUT_STARTED = "THROUGHPUT-STARTED";
    static final String THROUGHPUT_DONE = "THROUGHPUT-DONE";
    static final String STOP = "STOP";
    static final String PINGPONG = "PINGPONG";
    static final String PINGPONG_STARTED = "PINGPONG-STARTED";
    static final String PINGPONG_DONE = "PINGPONG-DONE";
    static final String CLOSE = "CLOSE";
    static final String CLOSED = "CLOSED";

    private PeerProtocol() {
    }
}
