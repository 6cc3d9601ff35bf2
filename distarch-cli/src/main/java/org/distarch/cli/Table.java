package org.distarch.cli;

import java.util.List;

/** Prints rows as aligned columns, the last one unpadded (as {@code status} does). */
final class Table {

    private Table() {}

    static void print(List<String[]> rows) {
        int[] width = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length - 1; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : String.format("%-" + width[i] + "s  ", row[i]));
            }
            System.out.println(line.toString().stripTrailing());
        }
    }
}
