package io.smcd.sim.registry;

import io.smcd.sim.Gid;
import io.smcd.sim.ProcessIdentity;
import io.smcd.sim.SharedWords;
import io.smcd.sim.SmcdException;
import io.smcd.sim.SmcdReason;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The record layouts tile their length without overlap, round-trip, and reject every corrupt field. */
class RecordDescriptorTest {
    private static final ProcessIdentity OWNER = new ProcessIdentity(4242, 1_700_000_000_000L);
    private static final Gid GID = new Gid(0x0123_4567_89AB_CDEFL, 0xFEDC_BA98_7654_3210L);

    private record Field(String name, int offset, int length) {
    }

    private static List<Field> headerFields() {
        return List.of(
                new Field("magic", RecordHeaderDescriptor.MAGIC_OFFSET, Long.BYTES),
                new Field("layoutVersion", RecordHeaderDescriptor.LAYOUT_VERSION_OFFSET, Integer.BYTES),
                new Field("recordLength", RecordHeaderDescriptor.RECORD_LENGTH_OFFSET, Integer.BYTES),
                new Field("ownerPid", RecordHeaderDescriptor.OWNER_PID_OFFSET, Long.BYTES),
                new Field("ownerStart", RecordHeaderDescriptor.OWNER_START_OFFSET, Long.BYTES),
                new Field("gid", RecordHeaderDescriptor.GID_OFFSET, Long.BYTES),
                new Field("gidExt", RecordHeaderDescriptor.GID_EXT_OFFSET, Long.BYTES),
                new Field("nonce", RecordHeaderDescriptor.NONCE_OFFSET, Long.BYTES));
    }

    private static List<Field> listenerFields() {
        List<Field> fields = new ArrayList<>(headerFields());
        fields.add(new Field("addressLength", ListenerRecordDescriptor.ADDRESS_LENGTH_OFFSET, Integer.BYTES));
        fields.add(new Field("port", ListenerRecordDescriptor.PORT_OFFSET, Integer.BYTES));
        fields.add(new Field("address", ListenerRecordDescriptor.ADDRESS_OFFSET, ListenerRecordDescriptor.ADDRESS_SLOT_LENGTH));
        return fields;
    }

    private static List<Field> intentFields() {
        List<Field> fields = new ArrayList<>(headerFields());
        fields.add(new Field("clientAddressLength", IntentRecordDescriptor.CLIENT_ADDRESS_LENGTH_OFFSET, Integer.BYTES));
        fields.add(new Field("clientPort", IntentRecordDescriptor.CLIENT_PORT_OFFSET, Integer.BYTES));
        fields.add(new Field("clientAddress", IntentRecordDescriptor.CLIENT_ADDRESS_OFFSET, IntentRecordDescriptor.ADDRESS_SLOT_LENGTH));
        fields.add(new Field("destinationAddressLength", IntentRecordDescriptor.DESTINATION_ADDRESS_LENGTH_OFFSET, Integer.BYTES));
        fields.add(new Field("destinationPort", IntentRecordDescriptor.DESTINATION_PORT_OFFSET, Integer.BYTES));
        fields.add(new Field("destinationAddress", IntentRecordDescriptor.DESTINATION_ADDRESS_OFFSET, IntentRecordDescriptor.ADDRESS_SLOT_LENGTH));
        return fields;
    }

    /** Sorted by offset, each field starts where the previous one ended, 64-bit fields are aligned, and the last ends the record. */
    private static void assertTiles(List<Field> unsorted, int recordLength) {
        List<Field> fields = new ArrayList<>(unsorted);
        fields.sort(Comparator.comparingInt(Field::offset));
        int end = 0;
        for (Field field : fields) {
            assertEquals(end, field.offset(), field.name() + " does not start where the previous field ends (overlap or gap)");
            assertEquals(0, field.offset() % Math.min(field.length(), Long.BYTES), field.name() + " is misaligned");
            end = field.offset() + field.length();
        }
        assertEquals(recordLength, end, "fields do not add up to the record length");
    }

    @Test
    void listenerFieldsTileTheRecord() {
        assertTiles(listenerFields(), ListenerRecordDescriptor.RECORD_LENGTH);
        assertEquals(80, ListenerRecordDescriptor.RECORD_LENGTH);
    }

    @Test
    void intentFieldsTileTheRecord() {
        assertTiles(intentFields(), IntentRecordDescriptor.RECORD_LENGTH);
        assertEquals(104, IntentRecordDescriptor.RECORD_LENGTH);
    }

    /**
     * The promise both descriptors make: a process can read the owner of a record of any layout version.
     * Both kinds start their own fields right after the header and write every header field at its offset.
     */
    @Test
    void bothLayoutsKeepTheHeaderAndOwnerAtTheSameOffsets() throws Exception {
        assertTiles(headerFields(), RecordHeaderDescriptor.LENGTH);
        assertEquals(RecordHeaderDescriptor.LENGTH, ListenerRecordDescriptor.ADDRESS_LENGTH_OFFSET);
        assertEquals(RecordHeaderDescriptor.LENGTH, IntentRecordDescriptor.CLIENT_ADDRESS_LENGTH_OFFSET);
        assertHeader(ListenerRecordDescriptor.encode(new ListenerRecord(OWNER, GID, at("::1", 1), 7)),
                ListenerRecordDescriptor.MAGIC, ListenerRecordDescriptor.LAYOUT_VERSION, ListenerRecordDescriptor.RECORD_LENGTH);
        assertHeader(IntentRecordDescriptor.encode(new IntentRecord(OWNER, GID, at("::1", 1), at("::1", 2), 7)),
                IntentRecordDescriptor.MAGIC, IntentRecordDescriptor.LAYOUT_VERSION, IntentRecordDescriptor.RECORD_LENGTH);
        assertTrue(ListenerRecordDescriptor.MAGIC != IntentRecordDescriptor.MAGIC);
    }

    private static void assertHeader(ByteBuffer record, long magic, int layoutVersion, int recordLength) {
        assertEquals(magic, record.getLong(RecordHeaderDescriptor.MAGIC_OFFSET));
        assertEquals(layoutVersion, record.getInt(RecordHeaderDescriptor.LAYOUT_VERSION_OFFSET));
        assertEquals(recordLength, record.getInt(RecordHeaderDescriptor.RECORD_LENGTH_OFFSET));
        assertEquals(OWNER.pid(), record.getLong(RecordHeaderDescriptor.OWNER_PID_OFFSET));
        assertEquals(OWNER.startMillis(), record.getLong(RecordHeaderDescriptor.OWNER_START_OFFSET));
        assertEquals(GID.gid(), record.getLong(RecordHeaderDescriptor.GID_OFFSET));
        assertEquals(GID.gidExt(), record.getLong(RecordHeaderDescriptor.GID_EXT_OFFSET));
        assertEquals(7L, record.getLong(RecordHeaderDescriptor.NONCE_OFFSET));
    }

    @Test
    void listenerRecordsRoundTripForBothFamilies() throws Exception {
        for (String address : List.of("127.0.0.1", "0.0.0.0", "::1", "::", "fe80::1:2:3:4")) {
            ListenerRecord record = new ListenerRecord(OWNER, GID, at(address, 65535), -1L);
            assertEquals(record, ListenerRecordDescriptor.decode(ListenerRecordDescriptor.encode(record)), address);
        }
    }

    @Test
    void intentRecordsRoundTripForBothFamilies() throws Exception {
        IntentRecord v4 = new IntentRecord(OWNER, GID, at("127.0.0.1", 1), at("0.0.0.0", 8080), 0x1234L);
        IntentRecord v6 = new IntentRecord(OWNER, GID, at("::1", 40000), at("127.0.0.1", 8080), Long.MIN_VALUE);
        assertEquals(v4, IntentRecordDescriptor.decode(IntentRecordDescriptor.encode(v4)));
        assertEquals(v6, IntentRecordDescriptor.decode(IntentRecordDescriptor.encode(v6)));
    }

    @Test
    void listenerDecodeRejectsEveryCorruptField() throws Exception {
        ListenerRecord record = new ListenerRecord(OWNER, GID, at("127.0.0.1", 8080), 7L);
        Map<String, Consumer<ByteBuffer>> corruptions = Map.ofEntries(
                Map.entry("truncated", b -> b.limit(ListenerRecordDescriptor.RECORD_LENGTH - 1)),
                Map.entry("magic", b -> b.putLong(RecordHeaderDescriptor.MAGIC_OFFSET, IntentRecordDescriptor.MAGIC)),
                Map.entry("version", b -> b.putInt(RecordHeaderDescriptor.LAYOUT_VERSION_OFFSET, 2)),
                Map.entry("recordLength", b -> b.putInt(RecordHeaderDescriptor.RECORD_LENGTH_OFFSET, 81)),
                Map.entry("pid zero", b -> b.putLong(RecordHeaderDescriptor.OWNER_PID_OFFSET, 0)),
                Map.entry("pid huge", b -> b.putLong(RecordHeaderDescriptor.OWNER_PID_OFFSET, 1L << 40)),
                Map.entry("start negative", b -> b.putLong(RecordHeaderDescriptor.OWNER_START_OFFSET, -5)),
                Map.entry("address length", b -> b.putInt(ListenerRecordDescriptor.ADDRESS_LENGTH_OFFSET, 5)),
                Map.entry("padding", b -> b.put(ListenerRecordDescriptor.ADDRESS_OFFSET + 4, (byte) 1)),
                Map.entry("mapped", b -> {
                    b.putInt(ListenerRecordDescriptor.ADDRESS_LENGTH_OFFSET, 16);
                    b.put(ListenerRecordDescriptor.ADDRESS_OFFSET, ipv4Mapped());
                }),
                Map.entry("port zero", b -> b.putInt(ListenerRecordDescriptor.PORT_OFFSET, 0)),
                Map.entry("port high", b -> b.putInt(ListenerRecordDescriptor.PORT_OFFSET, 65536)));
        for (Map.Entry<String, Consumer<ByteBuffer>> corruption : corruptions.entrySet()) {
            ByteBuffer bytes = ListenerRecordDescriptor.encode(record);
            corruption.getValue().accept(bytes);
            SmcdException e = assertThrows(SmcdException.class, () -> ListenerRecordDescriptor.decode(bytes), corruption.getKey());
            assertEquals(SmcdReason.SYNCERR, e.reasonCode(), corruption.getKey());
        }
        ByteBuffer overlong = ByteBuffer.allocate(ListenerRecordDescriptor.RECORD_LENGTH + 1).order(SharedWords.ORDER);
        overlong.put(ListenerRecordDescriptor.encode(record)).clear();
        assertThrows(SmcdException.class, () -> ListenerRecordDescriptor.decode(overlong));
    }

    @Test
    void intentDecodeRejectsEveryCorruptField() throws Exception {
        IntentRecord record = new IntentRecord(OWNER, GID, at("127.0.0.1", 40000), at("127.0.0.1", 8080), 7L);
        Map<String, Consumer<ByteBuffer>> corruptions = Map.ofEntries(
                Map.entry("truncated", b -> b.limit(RecordHeaderDescriptor.OWNER_END)),
                Map.entry("magic", b -> b.putLong(RecordHeaderDescriptor.MAGIC_OFFSET, ListenerRecordDescriptor.MAGIC)),
                Map.entry("version", b -> b.putInt(RecordHeaderDescriptor.LAYOUT_VERSION_OFFSET, 0)),
                Map.entry("recordLength", b -> b.putInt(RecordHeaderDescriptor.RECORD_LENGTH_OFFSET, 80)),
                Map.entry("pid negative", b -> b.putLong(RecordHeaderDescriptor.OWNER_PID_OFFSET, -1)),
                Map.entry("start zero", b -> b.putLong(RecordHeaderDescriptor.OWNER_START_OFFSET, 0)),
                Map.entry("client address length", b -> b.putInt(IntentRecordDescriptor.CLIENT_ADDRESS_LENGTH_OFFSET, 0)),
                Map.entry("client padding", b -> b.put(IntentRecordDescriptor.CLIENT_ADDRESS_OFFSET + 15, (byte) 9)),
                Map.entry("client port", b -> b.putInt(IntentRecordDescriptor.CLIENT_PORT_OFFSET, -1)),
                Map.entry("destination address length", b -> b.putInt(IntentRecordDescriptor.DESTINATION_ADDRESS_LENGTH_OFFSET, 6)),
                Map.entry("destination padding", b -> b.put(IntentRecordDescriptor.DESTINATION_ADDRESS_OFFSET + 4, (byte) 1)),
                Map.entry("destination port", b -> b.putInt(IntentRecordDescriptor.DESTINATION_PORT_OFFSET, 0)));
        for (Map.Entry<String, Consumer<ByteBuffer>> corruption : corruptions.entrySet()) {
            ByteBuffer bytes = IntentRecordDescriptor.encode(record);
            corruption.getValue().accept(bytes);
            SmcdException e = assertThrows(SmcdException.class, () -> IntentRecordDescriptor.decode(bytes), corruption.getKey());
            assertEquals(SmcdReason.SYNCERR, e.reasonCode(), corruption.getKey());
        }
    }

    @Test
    void claimedOwnerNeedsTheMagicAndTheOwnerFieldsOnly() throws Exception {
        ByteBuffer valid = ListenerRecordDescriptor.encode(new ListenerRecord(OWNER, GID, at("::1", 1), 0));
        assertEquals(Optional.of(OWNER), ListenerRecordDescriptor.claimedOwner(valid));

        ByteBuffer otherVersion = ListenerRecordDescriptor.encode(new ListenerRecord(OWNER, GID, at("::1", 1), 0));
        otherVersion.putInt(RecordHeaderDescriptor.LAYOUT_VERSION_OFFSET, 99).limit(RecordHeaderDescriptor.OWNER_END);
        assertEquals(Optional.of(OWNER), ListenerRecordDescriptor.claimedOwner(otherVersion));

        ByteBuffer tooShort = ListenerRecordDescriptor.encode(new ListenerRecord(OWNER, GID, at("::1", 1), 0));
        tooShort.limit(RecordHeaderDescriptor.OWNER_END - 1);
        assertEquals(Optional.empty(), ListenerRecordDescriptor.claimedOwner(tooShort));

        ByteBuffer intent = IntentRecordDescriptor.encode(new IntentRecord(OWNER, GID, at("::1", 1), at("::1", 2), 0));
        assertEquals(Optional.of(OWNER), IntentRecordDescriptor.claimedOwner(intent));
        assertEquals(Optional.empty(), ListenerRecordDescriptor.claimedOwner(intent), "an intent is not a listener record");

        intent.putLong(RecordHeaderDescriptor.OWNER_PID_OFFSET, 0);
        assertEquals(Optional.empty(), IntentRecordDescriptor.claimedOwner(intent));
    }

    private static byte[] ipv4Mapped() {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xFF;
        mapped[11] = (byte) 0xFF;
        mapped[12] = 127;
        mapped[15] = 1;
        return mapped;
    }

    static InetSocketAddress at(String literal, int port) throws UnknownHostException {
        return new InetSocketAddress(InetAddress.getByName(literal), port);
    }
}
