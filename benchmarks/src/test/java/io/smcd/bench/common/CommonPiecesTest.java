package io.smcd.bench.common;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommonPiecesTest {
    /** Choices named by their constants with dashes, one with an alias. */
    enum Colour implements Named {
        DARK_RED, BLUE, GREEN;

        @Override
        public String option() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        @Override
        public List<String> aliases() {
            return this == BLUE ? List.of("azure") : List.of();
        }
    }

    @Test
    void pingMessagesDifferAndCarryTheirSequence() {
        ByteBuffer a = ByteBuffer.allocate(14);
        ByteBuffer b = ByteBuffer.allocate(14);
        PingMessage.fill(a, 1);
        PingMessage.fill(b.position(3), 2);
        assertEquals(1, a.getLong(0));
        assertEquals(2, b.getLong(0));
        assertEquals(0, b.position(), "ready to be written");
        assertFalse(a.equals(b));
    }

    @Test
    void namesAndListsOfChoices() {
        assertEquals(Colour.DARK_RED, Named.of(Colour.class, " DARK_red "));
        assertEquals(Colour.BLUE, Named.of(Colour.class, "azure"));
        assertThrows(IllegalArgumentException.class, () -> Named.of(Colour.class, "pink"));
        assertEquals(List.of(Colour.GREEN, Colour.DARK_RED), Named.list(Colour.class, "green,,dark-red,green", Map.of()));
        assertEquals(List.of(Colour.values()), Named.list(Colour.class, "all", Map.of()));
        assertEquals(List.of(Colour.BLUE, Colour.GREEN), Named.list(Colour.class, "cold", Map.of("cold", List.of(Colour.BLUE, Colour.GREEN))));
        assertThrows(IllegalArgumentException.class, () -> Named.list(Colour.class, " , ", Map.of()));
        assertEquals("dark-red, blue, green", Named.names(Colour.class));
    }

    @Test
    void jsonNestsAndKeepsEachDeepObjectOnOneLine() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("name", "a \"quoted\"\nline");
        inner.put("nan", Double.NaN);
        inner.put("list", List.of(1, 2.5, true));
        List<Object> rows = new ArrayList<>();
        rows.add(inner);
        Map<String, Object> top = new LinkedHashMap<>();
        top.put("rows", rows);
        top.put("empty", List.of());
        top.put("path", Path.of("/tmp/x"));
        assertEquals("{\n  \"rows\": [\n    {\"name\": \"a \\\"quoted\\\"\\u000aline\", \"nan\": null, \"list\": [1, 2.5, true]}\n  ],\n"
                + "  \"empty\": [],\n  \"path\": \"/tmp/x\"\n}\n", Json.write(top));
        assertEquals("0.000001", Json.number(1e-6));
        assertEquals("0", Json.number(-0.0));
        assertEquals("1500", Json.number(1500.0));
    }

    @Test
    void runDirectoriesAreOwnedRemovedAndSweptByName(@TempDir Path base) throws Exception {
        RunDirectory runs = new RunDirectory("smcd-test-run-");
        Path mine = runs.newPath(base);
        Files.createDirectories(mine.resolve("sub"));
        Files.writeString(mine.resolve("sub/file"), "x");
        assertTrue(runs.isOwn(mine.getFileName().toString()));
        assertThrows(IllegalArgumentException.class, () -> runs.delete(base));
        assertTrue(runs.delete(mine));
        assertFalse(Files.exists(mine));
        // pid 2^22 + 1 is above Linux's largest pid, so its owner is gone for sure.
        Path stale = Files.createDirectory(base.resolve("smcd-test-run-4194305-0badc0de"));
        Path alive = Files.createDirectory(runs.newPath(base));
        Path foreign = Files.createDirectory(base.resolve("smcd-test-run-other"));
        runs.sweepStale(base);
        assertFalse(Files.exists(stale));
        assertTrue(Files.exists(alive) && Files.exists(foreign));
    }

    @Test
    void wordsAndArguments() {
        assertEquals(Map.of("a", "1", "b", "x=y"), Words.pairs(List.of("a=1", "b=x=y")));
        assertThrows(IllegalArgumentException.class, () -> Words.pairs(List.of("=1")));
        assertEquals(Map.of("domain", "/d", "dmb", "64"), Words.arguments(new String[] {"--domain", "/d", "--dmb", "64"}));
        assertThrows(IllegalArgumentException.class, () -> Words.arguments(new String[] {"--domain"}));
        assertThrows(IllegalArgumentException.class, () -> Words.arguments(new String[] {"domain", "/d"}));
    }

    @Test
    void procFieldsAreReadInKib(@TempDir Path directory) throws Exception {
        Path status = Files.writeString(directory.resolve("status"), "Name:\tjava\nVmRSS:\t  123456 kB\nShmem:     42 kB\n");
        assertEquals(123456, ProcMemory.field(status, "VmRSS:"));
        assertEquals(42, ProcMemory.field(status, "Shmem:"));
        assertTrue(Double.isNaN(ProcMemory.field(status, "VmSwap:")));
        assertTrue(Double.isNaN(ProcMemory.field(directory.resolve("missing"), "VmRSS:")));
        assertTrue(ProcMemory.rssKib(ProcessHandle.current().pid()) > 0 || !Files.exists(Path.of("/proc/self/status")));
    }
}
