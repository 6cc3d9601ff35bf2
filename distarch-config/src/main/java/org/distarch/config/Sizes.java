package org.distarch.config;

import java.util.Locale;

/** Memory sizes as people write them: 1048576, 512K, 512M, 2G (powers of 1024; a trailing B or iB is allowed). */
final class Sizes {

    private Sizes() {}

    /** The size in bytes, or null when the text is not a positive size. */
    static Long parse(String text) {
        String t = text.trim().toUpperCase(Locale.ROOT);
        if (t.endsWith("IB")) {
            t = t.substring(0, t.length() - 2);
        } else if (t.endsWith("B")) {
            t = t.substring(0, t.length() - 1);
        }
        long unit = 1;
        if (!t.isEmpty()) {
            switch (t.charAt(t.length() - 1)) {
                case 'K' -> unit = 1L << 10;
                case 'M' -> unit = 1L << 20;
                case 'G' -> unit = 1L << 30;
                case 'T' -> unit = 1L << 40;
                default -> unit = 1;
            }
            if (unit > 1) {
                t = t.substring(0, t.length() - 1).trim();
            }
        }
        try {
            long n = Long.parseLong(t);
            return n > 0 && n <= Long.MAX_VALUE / unit ? n * unit : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
