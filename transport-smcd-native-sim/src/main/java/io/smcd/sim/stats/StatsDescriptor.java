package io.smcd.sim.stats;

import io.smcd.sim.SharedEndpoint;
import java.util.List;

/**
 * Layout of a statistics file {@code stats-<pid>-<startMillis>-<random>}: one per process and domain, written by its
 * owner only (one writer per word), read by anyone of the same user. Every value is in
 * {@link io.smcd.sim.SharedWords#ORDER}; every 64-bit word is 8-byte aligned.
 *
 * <pre>
 *  offset
 *       0 +--- header, 128 B -------------------------------------------------------------+
 *       0 | magic "SMCD-STA"                                                          u64 |
 *       8 | layout version, written last with a release store                         u64 |
 *      16 | owner pid                                                                 u64 |
 *      24 | owner start millis                                                        u64 |
 *      32 | counter count u32 | connection slot count u32                                   |
 *      40 | slots filled by the last publication, released after them                 u64 |
 *      48 | connections open, which may exceed the slots                              u64 |
 *      56 | publications so far                                                       u64 |
 *      64 | last publication (the owner skips those that would change nothing), epoch ms u64 |
 *     128 +--- counter records, 64 B each ---------------------------------------------------+
 *      +0 | value, released                                                           u64 |
 *      +8 | label length u8 | label, ASCII, at most 55 B                                      |
 *         +--- connection slots, 192 B each, from 128 + 64 x counter count ------------------+
 *      +0 | sequence: odd while the owner rewrites the slot, even once done (a seqlock) u64 |
 *      +8 | state u8 | role u8 | mode u8 | 0 u8 | local reason code u32                     |
 *     +16 | peer reason code u32 | RMB ring size u32                                        |
 *     +24 | RMB token                                                                 u64 |
 *     +32 | peer DMB token                                                            u64 |
 *     +40 | peer DMB ring size u32 | 0 u32                                                  |
 *     +48 | peer pid, 0 if unknown                                                    u64 |
 *     +56 | bytes sent                                                                u64 |
 *     +64 | bytes received                                                            u64 |
 *     +72 | local endpoint ({@link SharedEndpoint})                                   24 B |
 *     +96 | peer endpoint                                                            24 B |
 *    +120 | producer cursor in the peer's DMB                                         u64 |
 *    +128 | the peer's consumer cursor there, as last seen                            u64 |
 *    +136 | the peer's producer cursor in the RMB, as last seen                       u64 |
 *    +144 | consumer cursor in the RMB                                                u64 |
 *    +152 | (reserved)                                                                    |
 *         +-------------------------------------------------------------------------------+
 * </pre>
 *
 * <p>The header and the labels are complete before the file appears under its name; a reader never writes, so it
 * cannot disturb the owner or its connections. Stateless and thread-safe.
 */
public final class StatsDescriptor {
    /** {@code "SMCD-STA"} in ASCII, read as a big-endian long. */
    public static final long MAGIC = 0x534D43442D535441L;
    public static final long LAYOUT_VERSION = 1;
    public static final String FILE_PREFIX = "stats-";

    public static final int HEADER_LENGTH = 128;
    public static final int COUNTER_LENGTH = 64;
    public static final int MAX_LABEL_LENGTH = COUNTER_LENGTH - Long.BYTES - 1;
    public static final int SLOT_LENGTH = 192;
    public static final int MAX_COUNTERS = 1024;
    public static final int MAX_SLOTS = 1 << 16;

    public static final int MAGIC_OFFSET = 0;
    public static final int LAYOUT_VERSION_OFFSET = 8;
    public static final int OWNER_PID_OFFSET = 16;
    public static final int OWNER_START_OFFSET = 24;
    public static final int COUNTER_COUNT_OFFSET = 32;
    public static final int SLOT_COUNT_OFFSET = 36;
    public static final int SLOTS_FILLED_OFFSET = 40;
    public static final int CONNECTIONS_OPEN_OFFSET = 48;
    public static final int PUBLICATIONS_OFFSET = 56;
    public static final int PUBLISHED_MILLIS_OFFSET = 64;

    public static final int COUNTER_VALUE = 0;
    public static final int COUNTER_LABEL_LENGTH = 8;
    public static final int COUNTER_LABEL = 9;

    public static final int SLOT_SEQUENCE = 0;
    public static final int SLOT_STATE = 8;
    public static final int SLOT_ROLE = 9;
    public static final int SLOT_MODE = 10;
    public static final int SLOT_LOCAL_REASON = 12;
    public static final int SLOT_PEER_REASON = 16;
    public static final int SLOT_RMB_SIZE = 20;
    public static final int SLOT_RMB_TOKEN = 24;
    public static final int SLOT_PEER_DMB_TOKEN = 32;
    public static final int SLOT_PEER_DMB_SIZE = 40;
    public static final int SLOT_PEER_PID = 48;
    public static final int SLOT_BYTES_SENT = 56;
    public static final int SLOT_BYTES_RECEIVED = 64;
    public static final int SLOT_LOCAL_ENDPOINT = 72;
    public static final int SLOT_PEER_ENDPOINT = SLOT_LOCAL_ENDPOINT + SharedEndpoint.LENGTH;
    public static final int SLOT_TX_PRODUCER = SLOT_PEER_ENDPOINT + SharedEndpoint.LENGTH;
    public static final int SLOT_TX_CONSUMER = SLOT_TX_PRODUCER + Long.BYTES;
    public static final int SLOT_RX_PRODUCER = SLOT_TX_CONSUMER + Long.BYTES;
    public static final int SLOT_RX_CONSUMER = SLOT_RX_PRODUCER + Long.BYTES;
    public static final int SLOT_USED_LENGTH = SLOT_RX_CONSUMER + Long.BYTES;

    /** State codes, index = code; 0 is never written. */
    static final List<String> STATES = List.of("?", "ACTIVE", "PEERCLW", "APPCLW", "CLOSING");
    /** Role codes, index = code. */
    static final List<String> ROLES = List.of("?", "CLIENT", "SERVER");
    /** Mode codes, index = code; the names of {@code io.smcd.channel.SmcdMode}. */
    static final List<String> MODES = List.of("?", "TCP", "SMCD_LOOPBACK", "SMCD_COPY");

    private StatsDescriptor() {
    }

    /** The file length for {@code counters} counter records and {@code slots} connection slots. */
    public static int fileLength(int counters, int slots) {
        if (counters < 0 || counters > MAX_COUNTERS || slots < 0 || slots > MAX_SLOTS) {
            throw new IllegalArgumentException("counters=" + counters + " slots=" + slots);
        }
        return slotsOffset(counters) + slots * SLOT_LENGTH;
    }

    /** The absolute offset of counter record {@code index}. */
    public static int counterOffset(int index) {
        return HEADER_LENGTH + index * COUNTER_LENGTH;
    }

    /** The absolute offset of the first connection slot. */
    public static int slotsOffset(int counters) {
        return HEADER_LENGTH + counters * COUNTER_LENGTH;
    }

    /** The code of {@code name} in {@code names}, 0 if it is not there. */
    static int code(List<String> names, String name) {
        int code = names.indexOf(name);
        return Math.max(code, 0);
    }

    /** The name of {@code code} in {@code names}, {@code "?"} for a code no writer writes. */
    static String name(List<String> names, int code) {
        return code > 0 && code < names.size() ? names.get(code) : "?";
    }
}
