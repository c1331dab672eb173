package io.smcd.bench.core;

import java.nio.ByteBuffer;

/**
 * The line protocol between CoreBench (parent) and {@link CoreBenchPeer} (child) over the child's stdin
 * and stdout. The parent sends one command per line; the child answers with lines that start with
 * {@link #PREFIX}, so that anything else on its stdout cannot be mistaken for an answer.
 *
 * <pre>
 *  parent                                   child
 *                                           READY &lt;pid&gt;
 *  SMCD-CONNECT &lt;device&gt; &lt;token&gt; &lt;ring&gt;   SMCD-ACCEPTED &lt;token&gt; &lt;ring&gt;   (hex tokens)
 *  TCP-CONNECT &lt;port&gt;                      TCP-CONNECTED
 *  THROUGHPUT &lt;write size&gt; &lt;seed&gt;          THROUGHPUT-STARTED, and after STOP: THROUGHPUT-DONE &lt;bytes&gt;
 *  STOP                                     (ends a throughput run; handled out of band)
 *  PINGPONG &lt;message size&gt;                 PINGPONG-STARTED, after the stop message: PINGPONG-DONE &lt;count&gt;
 *  CLOSE                                    CLOSED
 *  EXIT                                     BYE, then the child exits
 *                                           ERROR &lt;text&gt;, at any time, before the child exits with 1
 * </pre>
 */
final class PeerProtocol {
    static final String PREFIX = "@smcd ";

    static final String READY = "READY";
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
    static final String EXIT = "EXIT";
    static final String BYE = "BYE";
    static final String ERROR = "ERROR";

    /** The sequence number of the ping-pong message that ends a run; real ones count up from 0. */
    static final long STOP_SEQUENCE = -1;

    private PeerProtocol() {
    }

    /** Fills a ping-pong message: its sequence number, then bytes derived from it, so no two messages are equal. */
    static void fillMessage(ByteBuffer message, long sequence) {
        message.clear();
        message.putLong(0, sequence);
        long mix = sequence * 0x9E37_79B9_7F4A_7C15L;
        for (int i = Long.BYTES; i < message.capacity(); i++) {
            message.put(i, (byte) (mix >>> ((i * 8) & 63)));
        }
    }
}
