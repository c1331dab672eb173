package io.smcd.bench.common;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A table as the benchmarks print them: a header, then rows; the first column left-aligned, the others right-aligned,
 * each as wide as its widest cell, except a free last column (a note) that is printed as it is. Not thread-safe.
 */
public final class TextTable {
    private final boolean freeLast;
    private final List<List<String>> rows = new ArrayList<>();

    /** A table with these column headers; {@code noteColumn}: whether the last one is printed as it is. */
    public TextTable(boolean noteColumn, List<String> header) {
        this.freeLast = noteColumn;
        rows.add(List.copyOf(header));
    }

    public TextTable row(List<String> cells) {
        rows.add(List.copyOf(cells));
        return this;
    }

    public void print(PrintStream out) {
        int columns = rows.get(0).size();
        int[] widths = new int[columns];
        for (List<String> row : rows) {
            for (int c = 0; c < columns; c++) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder(" ");
            for (int c = 0; c < columns; c++) {
                String cell = row.get(c);
                String pad = " ".repeat(widths[c] - cell.length());
                if (freeLast && c == columns - 1) {
                    line.append("  ").append(cell);
                } else {
                    line.append(' ').append(c == 0 ? cell + pad : pad + cell);
                }
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
