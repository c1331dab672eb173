package io.smcd.bench.common;

import java.io.PrintStream;

/**
 * What a benchmark has measured so far, printable as its tables, so that a failed run still shows what it got.
 * Implementations are filled and printed by one thread.
 */
public interface Report {
    boolean isEmpty();

    /** Prints the tables. */
    void print(PrintStream out);
}
