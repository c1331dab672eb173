package io.smcd.sim.conn;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The sizes a test writes or reads with, one after another: either a fixed cycle of sizes, or a
 * deterministic pseudo-random sequence from a seed that mixes tiny, small, ring-sized and larger-than-ring
 * sizes, so cursors land on every kind of offset and a single write or read crosses the ring's end
 * often. Encoded as text ({@link #parse}) to pass the same sequence to a child JVM. Not thread-safe.
 */
final class SizeSequence {
    private final int[] cycle;
    private final SplittableRandom random;
    private final int max;
    private final String spec;
    private int next;

    private SizeSequence(int[] cycle, SplittableRandom random, int max, String spec) {
        this.cycle = cycle;
        this.random = random;
        this.max = max;
        this.spec = spec;
    }

    /** Cycles through {@code sizes} (each at least 1). */
    static SizeSequence cycle(int... sizes) {
        if (sizes.length == 0 || Arrays.stream(sizes).anyMatch(s -> s < 1)) {
            throw new IllegalArgumentException("sizes=" + Arrays.toString(sizes));
        }
        StringBuilder spec = new StringBuilder("cycle");
        for (int size : sizes) {
            spec.append(':').append(size);
        }
        return new SizeSequence(sizes.clone(), null, Arrays.stream(sizes).max().getAsInt(), spec.toString());
    }

    /** Pseudo-random sizes in [1, {@code max}] from {@code seed}: a quarter each at most 16, 1 Ki, max/4 and max. */
    static SizeSequence random(long seed, int max) {
        if (max < 16) {
            throw new IllegalArgumentException("max=" + max);
        }
        return new SizeSequence(null, new SplittableRandom(seed), max, "random:" + seed + ":" + max);
    }

    /** The inverse of {@link #toString()}. */
    static SizeSequence parse(String spec) {
        String[] parts = spec.split(":");
        switch (parts[0]) {
            case "cycle":
                return cycle(Arrays.stream(parts, 1, parts.length).mapToInt(Integer::parseInt).toArray());
            case "random":
                return random(Long.parseLong(parts[1]), Integer.parseInt(parts[2]));
            default:
                throw new IllegalArgumentException("spec=" + spec);
        }
    }

    /** The largest size this sequence returns. */
    int max() {
        return max;
    }

    int next() {
        if (cycle != null) {
            int size = cycle[next];
            next = (next + 1) % cycle.length;
            return size;
        }
        int bound;
        switch (random.nextInt(4)) {
            case 0:
                bound = 16;
                break;
            case 1:
                bound = 1024;
                break;
            case 2:
                bound = Math.max(16, max / 4);
                break;
            default:
                bound = max;
                break;
        }
        return 1 + random.nextInt(bound);
    }

    @Override
    public String toString() {
        return spec;
    }
}
