package org.distarch.cli;

import java.util.ArrayList;
import java.util.List;

/** Rows as aligned columns, the last one unpadded (so a long last column, like output, does not widen the rest). */
final class Table {

    private Table() {}

    static void print(List<String[]> rows) {
        lines(rows).forEach(System.out::println);
    }

    static List<String> lines(List<String[]> rows) {
        int[] width = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length - 1; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        List<String> lines = new ArrayList<>(rows.size());
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : String.format("%-" + width[i] + "s  ", row[i]));
            }
            lines.add(line.toString().stripTrailing());
        }
        return lines;
    }
}
