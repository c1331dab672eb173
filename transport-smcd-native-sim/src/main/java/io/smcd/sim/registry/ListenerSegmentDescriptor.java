package io.smcd.sim.registry;

import io.smcd.sim.Gid;
import io.smcd.sim.ProcessIdentity;
import io.smcd.sim.SharedEndpoint;
import io.smcd.sim.SharedWords;
import io.smcd.sim.SmcdException;
import io.smcd.sim.SmcdReason;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Layout of a listener segment: the mapped file {@code listener-<port>-<hex address>} through which an smcd server
 * announces that it negotiates SMC-D, and through which clients publish their intents, in place of the SMC TCP option
 * that Java cannot put in a SYN. The server (its owner) writes the header; each intent slot is a mailbox between one
 * client and the server, handed back and forth by its state word, which both change only by compare-and-set. Every
 * value is in {@link SharedWords#ORDER}; every 64-bit word is 8-byte aligned.
 *
 * <pre>
 *  offset
 *       0 +--- header, one 128 B slot, written by the owner ------------------------+
 *       0 | magic "SMCD-LSN"                                                    u64 |
 *       8 | layout version, written last with a release store                   u64 |
 *      16 | owner pid                                                           u64 |
 *      24 | owner start millis                                                  u64 |
 *      32 | GID: gid, gid_ext                                              2 x u64 |
 *      48 | nonce: tells this registration from a later one at the same address u64 |
 *      56 | intent slot count                                                   u64 |
 *      64 | listening endpoint (see below)                                     24 B |
 *      88 | state: OPEN, then CLOSED when the server stops listening            u64 |
 *     128 +--- intent slot 0 .. count-1, 128 B each ---------------------------------+
 *      +0 | state: kind (low 8 bits) | sequence (high 56 bits), CAS only         u64 |
 *      +8 | client pid, client start millis                                2 x u64 |
 *     +24 | client endpoint: the client socket's bound address and port        24 B |
 *     +48 | destination endpoint: where the client connects                    24 B |
 *     +72 | offered RMB token (0: none, the CLC handshake follows)              u64 |
 *     +80 | offered RMB generation u32 | size code u8 | CHID count u8 | 0 u16        |
 *     +88 | the client's device CHIDs, preferred first                    4 x u16 |
 *     +96 | answer: server RMB token                                           u64 |
 *    +104 | answer: server RMB generation u32 | size code u8 | 0 u8 | CHID u16       |
 *    +112 | (reserved)                                                              |
 *         +-------------------------------------------------------------------------+
 *  endpoint: {@link SharedEndpoint}
 * </pre>
 *
 * <p>Slot states, each with the sequence of the reservation it belongs to:
 * <pre>
 *  FREE(s) --client CAS--> RESERVED(s+1), destination and offer written --client connects, writes its endpoint,
 *                                                                          CAS--> PENDING(s+1)
 *  PENDING(s) --server CAS, its answer written first--> CLAIMED_CLC(s) or CLAIMED_JOIN(s) --client CAS--> FREE(s)
 *  PENDING(s) --client CAS (withdraw)--> FREE(s)
 * </pre>
 * A client reserves before it connects and publishes its endpoint right after, because
 * only {@code connect()} picks its port cheaply (a {@code bind()} to port 0 first treats every TIME_WAIT port as taken);
 * a server that accepts a connection while a reservation for its address is still unpublished waits for it, briefly.
 * Of the server's claim and the client's withdraw, which both start from PENDING(s), exactly one succeeds. The server
 * reads a slot's fields only between seeing PENDING(s) and its claim with the same s, so it never acts on the fields of
 * another reservation. Stateless and thread-safe.
 */
public final class ListenerSegmentDescriptor {
    /** {@code "SMCD-LSN"} in ASCII, read as a big-endian long. */
    public static final long MAGIC = 0x534D43442D4C534EL;
    public static final long LAYOUT_VERSION = 1;
    public static final int SLOT_LENGTH = 128;
    /**
     * Intent slots of a segment created here: a slot is held only while its connection negotiates, and the server reads
     * every slot's state word per accepted connection, so the table is sized for handshakes in flight, not connections.
     */
    public static final int DEFAULT_SLOT_COUNT = 512;
    public static final int MAX_SLOT_COUNT = 1 << 16;
    public static final int MAX_CHIDS = 4;

    public static final long OPEN = 1;
    public static final long CLOSED = 2;

    public static final int FREE = 0;
    public static final int RESERVED = 1;
    public static final int PENDING = 2;
    /** Claimed; the server speaks CLC on the connection next. */
    public static final int CLAIMED_CLC = 3;
    /** Claimed; the server has leased both DMBs and runs SMC-D, the answer names its RMB. */
    public static final int CLAIMED_JOIN = 4;

    // Header.
    public static final int MAGIC_OFFSET = 0;
    public static final int LAYOUT_VERSION_OFFSET = MAGIC_OFFSET + Long.BYTES;
    public static final int OWNER_PID_OFFSET = LAYOUT_VERSION_OFFSET + Long.BYTES;
    public static final int OWNER_START_OFFSET = OWNER_PID_OFFSET + Long.BYTES;
    public static final int GID_OFFSET = OWNER_START_OFFSET + Long.BYTES;
    public static final int GID_EXT_OFFSET = GID_OFFSET + Long.BYTES;
    public static final int NONCE_OFFSET = GID_EXT_OFFSET + Long.BYTES;
    public static final int SLOT_COUNT_OFFSET = NONCE_OFFSET + Long.BYTES;
    public static final int LISTENING_OFFSET = SLOT_COUNT_OFFSET + Long.BYTES;
    public static final int STATE_OFFSET = LISTENING_OFFSET + SharedEndpoint.LENGTH;
    public static final int HEADER_LENGTH = SLOT_LENGTH;

    // Intent slot, relative to its start.
    public static final int SLOT_STATE = 0;
    public static final int SLOT_CLIENT_PID = SLOT_STATE + Long.BYTES;
    public static final int SLOT_CLIENT_START = SLOT_CLIENT_PID + Long.BYTES;
    public static final int SLOT_CLIENT_ENDPOINT = SLOT_CLIENT_START + Long.BYTES;
    public static final int SLOT_DESTINATION = SLOT_CLIENT_ENDPOINT + SharedEndpoint.LENGTH;
    public static final int SLOT_OFFER_TOKEN = SLOT_DESTINATION + SharedEndpoint.LENGTH;
    public static final int SLOT_OFFER_GENERATION = SLOT_OFFER_TOKEN + Long.BYTES;
    public static final int SLOT_OFFER_SIZE_CODE = SLOT_OFFER_GENERATION + Integer.BYTES;
    public static final int SLOT_CHID_COUNT = SLOT_OFFER_SIZE_CODE + Byte.BYTES;
    public static final int SLOT_CHIDS = SLOT_OFFER_GENERATION + Long.BYTES;
    public static final int SLOT_ANSWER_TOKEN = SLOT_CHIDS + MAX_CHIDS * Short.BYTES;
    public static final int SLOT_ANSWER_GENERATION = SLOT_ANSWER_TOKEN + Long.BYTES;
    public static final int SLOT_ANSWER_SIZE_CODE = SLOT_ANSWER_GENERATION + Integer.BYTES;
    public static final int SLOT_ANSWER_CHID = SLOT_ANSWER_SIZE_CODE + Short.BYTES;
    public static final int SLOT_USED_LENGTH = SLOT_ANSWER_CHID + Short.BYTES;

    private static final int KIND_BITS = 8;
    private static final long KIND_MASK = (1L << KIND_BITS) - 1;
    private static final long MAX_PID = Integer.MAX_VALUE;

    private ListenerSegmentDescriptor() {
    }

    /** The file length of a segment with {@code slots} intent slots. */
    public static int fileLength(int slots) {
        if (slots <= 0 || slots > MAX_SLOT_COUNT) {
            throw new IllegalArgumentException("slots=" + slots + " not in [1, " + MAX_SLOT_COUNT + "]");
        }
        return HEADER_LENGTH + slots * SLOT_LENGTH;
    }

    /** The absolute offset of slot {@code index}. */
    public static int slotOffset(int index) {
        return HEADER_LENGTH + index * SLOT_LENGTH;
    }

    public static long state(int kind, long sequence) {
        return sequence << KIND_BITS | kind;
    }

    public static int kind(long state) {
        return (int) (state & KIND_MASK);
    }

    public static long sequence(long state) {
        return state >>> KIND_BITS;
    }

    /**
     * Writes the header of a new segment: every field with plain stores, then the layout version with a release store,
     * so that a client that reads the version with acquire sees the rest.
     */
    static void writeHeader(ByteBuffer segment, ListenerRecord record, int slots) {
        SharedWords.setPlain(segment, MAGIC_OFFSET, MAGIC);
        SharedWords.setPlain(segment, OWNER_PID_OFFSET, record.owner().pid());
        SharedWords.setPlain(segment, OWNER_START_OFFSET, record.owner().startMillis());
        SharedWords.setPlain(segment, GID_OFFSET, record.gid().gid());
        SharedWords.setPlain(segment, GID_EXT_OFFSET, record.gid().gidExt());
        SharedWords.setPlain(segment, NONCE_OFFSET, record.nonce());
        SharedWords.setPlain(segment, SLOT_COUNT_OFFSET, slots);
        SharedEndpoint.put(segment, LISTENING_OFFSET, record.address());
        SharedWords.setPlain(segment, STATE_OFFSET, OPEN);
        SharedWords.setRelease(segment, LAYOUT_VERSION_OFFSET, LAYOUT_VERSION);
    }

    /**
     * Reads and validates a header: magic, layout version, owner, slot count and the file length it implies, endpoint.
     *
     * @throws SmcdException {@link SmcdReason#SYNCERR} naming the first field that is wrong
     */
    static ListenerRecord readHeader(ByteBuffer segment) throws SmcdException {
        if (segment.capacity() < HEADER_LENGTH) {
            throw corrupt("length=" + segment.capacity());
        }
        // Acquire: the owner released the version after every other header field.
        long version = SharedWords.getAcquire(segment, LAYOUT_VERSION_OFFSET);
        if (version != LAYOUT_VERSION) {
            throw corrupt("layoutVersion=" + version + ", expected " + LAYOUT_VERSION);
        }
        long magic = SharedWords.getPlain(segment, MAGIC_OFFSET);
        if (magic != MAGIC) {
            throw corrupt("magic=0x" + Long.toHexString(magic));
        }
        ProcessIdentity owner = owner(segment, OWNER_PID_OFFSET, OWNER_START_OFFSET)
                .orElseThrow(() -> corrupt("owner pid=" + SharedWords.getPlain(segment, OWNER_PID_OFFSET)));
        long slots = SharedWords.getPlain(segment, SLOT_COUNT_OFFSET);
        if (slots <= 0 || slots > MAX_SLOT_COUNT || segment.capacity() != fileLength((int) slots)) {
            throw corrupt("slots=" + slots + " length=" + segment.capacity());
        }
        Gid gid = new Gid(SharedWords.getPlain(segment, GID_OFFSET), SharedWords.getPlain(segment, GID_EXT_OFFSET));
        return new ListenerRecord(owner, gid, SharedEndpoint.get(segment, LISTENING_OFFSET, "listening"),
                SharedWords.getPlain(segment, NONCE_OFFSET));
    }

    /** The slot count of a header {@link #readHeader} validated. */
    static int slotCount(ByteBuffer segment) {
        return (int) SharedWords.getPlain(segment, SLOT_COUNT_OFFSET);
    }

    /** The owner a header names, from plain reads of a file that may be anything; empty if it names no process. */
    static Optional<ProcessIdentity> claimedOwner(ByteBuffer header) {
        if (header.limit() < OWNER_START_OFFSET + Long.BYTES || header.getLong(MAGIC_OFFSET) != MAGIC) {
            return Optional.empty();
        }
        return owner(header, OWNER_PID_OFFSET, OWNER_START_OFFSET);
    }

    /** The client a slot names, or empty if its fields name no process. */
    static Optional<ProcessIdentity> slotClient(ByteBuffer segment, int slot) {
        return owner(segment, slot + SLOT_CLIENT_PID, slot + SLOT_CLIENT_START);
    }

    private static Optional<ProcessIdentity> owner(ByteBuffer b, int pidOffset, int startOffset) {
        long pid = SharedWords.getPlain(b, pidOffset);
        long startMillis = SharedWords.getPlain(b, startOffset);
        if (pid <= 0 || pid > MAX_PID || startMillis <= 0) {
            return Optional.empty();
        }
        return Optional.of(new ProcessIdentity(pid, startMillis));
    }

    static SmcdException corrupt(String problem) {
        return new SmcdException(SmcdReason.SYNCERR, "corrupt listener segment: " + problem);
    }
}
