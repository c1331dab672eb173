package io.smcd.sim;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every shared word is aligned, no two fields overlap, and words of different writers use different slots. */
class DescriptorLayoutTest {
    private record Field(String name, int offset, int length, String writer) {
    }

    private static List<Field> dmbFields() {
        List<Field> fields = new ArrayList<>();
        fields.add(new Field("magic", DmbDescriptor.MAGIC_OFFSET, 8, "owner"));
        fields.add(new Field("layoutVersion", DmbDescriptor.LAYOUT_VERSION_OFFSET, 8, "owner"));
        fields.add(new Field("token", DmbDescriptor.TOKEN_OFFSET, 8, "owner"));
        fields.add(new Field("ringSize", DmbDescriptor.RING_SIZE_OFFSET, 8, "owner"));
        fields.add(new Field("ownerPid", DmbDescriptor.OWNER_PID_OFFSET, 8, "owner"));
        fields.add(new Field("ownerStart", DmbDescriptor.OWNER_START_OFFSET, 8, "owner"));
        fields.add(new Field("prodCursor", CdcDescriptor.PROD_CURSOR_OFFSET, 8, "peer"));
        fields.add(new Field("consCursor", CdcDescriptor.CONS_CURSOR_OFFSET, 8, "peer"));
        fields.add(new Field("flags", CdcDescriptor.FLAGS_OFFSET, 8, "peer"));
        fields.add(new Field("sleeping", CdcDescriptor.SLEEPING_OFFSET, 8, "peer"));
        return fields;
    }

    @Test
    void everyWordIsAlignedAndNoFieldsOverlap() {
        List<Field> fields = dmbFields();
        fields.sort(Comparator.comparingInt(Field::offset));
        for (int i = 0; i < fields.size(); i++) {
            Field field = fields.get(i);
            assertEquals(0, field.offset() % Long.BYTES, field.name() + " is not 8-byte aligned");
            if (i > 0) {
                Field previous = fields.get(i - 1);
                assertTrue(previous.offset() + previous.length() <= field.offset(), previous.name() + " overlaps " + field.name());
            }
        }
        Field last = fields.get(fields.size() - 1);
        assertTrue(last.offset() + last.length() <= DmbDescriptor.RING_OFFSET, last.name() + " overlaps the ring");
        assertTrue(DmbDescriptor.HEADER_USED_LENGTH <= DmbDescriptor.HEADER_LENGTH);
    }

    @Test
    void hotCdcWordsEachHaveTheirOwnSlotAndTheHeaderIsApart() {
        int[] hot = {CdcDescriptor.PROD_CURSOR_OFFSET, CdcDescriptor.CONS_CURSOR_OFFSET,
                CdcDescriptor.FLAGS_OFFSET, CdcDescriptor.SLEEPING_OFFSET};
        for (int i = 0; i < hot.length; i++) {
            assertEquals(0, hot[i] % DmbDescriptor.SLOT_LENGTH, "CDC word " + i + " does not start a slot");
            for (int j = 0; j < i; j++) {
                assertTrue(hot[i] / DmbDescriptor.SLOT_LENGTH != hot[j] / DmbDescriptor.SLOT_LENGTH, "CDC words share a slot");
            }
            assertTrue(hot[i] >= DmbDescriptor.HEADER_LENGTH, "CDC word in the owner's header slot");
        }
        assertEquals(4 * DmbDescriptor.SLOT_LENGTH, CdcDescriptor.LENGTH);
        assertEquals(0, DmbDescriptor.RING_OFFSET % DmbDescriptor.SLOT_LENGTH, "ring does not start on a slot");
        assertEquals(DmbDescriptor.RING_OFFSET + DmbSize.MIN_SIZE, DmbDescriptor.fileLength(DmbSize.MIN_SIZE));
    }
}
