package org.distarch.config;

import java.util.Locale;

/**
 * Bounds on the raw configuration text, checked before the YAML parser sees it, so that any input is
 * answered at once: the YAML scanner is slow on very long lines (a 2 MB one-line scalar took seconds and
 * hundreds of megabytes), and a reload runs the same loader on the control thread.
 */
final class TextLimits {

    /** Largest configuration file, in bytes (and, for text given directly, in characters). */
    static final int MAX_FILE_BYTES = 4 * 1024 * 1024;
    /** Longest line, in characters, line break excluded. */
    static final int MAX_LINE_CHARS = 64 * 1024;

    private TextLimits() {}

    /** Why a file of {@code bytes} bytes is refused, or null when it is small enough. */
    static String fileTooLarge(long bytes) {
        return bytes <= MAX_FILE_BYTES ? null : "the file is " + count(bytes) + " bytes long; at most "
                + count(MAX_FILE_BYTES) + " (4 MiB) are allowed";
    }

    /** Why {@code text} is refused (too long, or a line too long), or null when it is within bounds. */
    static String check(String text) {
        if (text.length() > MAX_FILE_BYTES) {
            return "the file is " + count(text.length()) + " characters long; at most " + count(MAX_FILE_BYTES)
                    + " (4 MiB) are allowed";
        }
        int line = 1;
        int start = 0;
        int length = text.length();
        for (int i = 0; i <= length; i++) {
            char c = i < length ? text.charAt(i) : '\n';
            if (c == '\n' || c == '\r') {
                int chars = i - start;
                if (chars > MAX_LINE_CHARS) {
                    return "line " + line + " is " + count(chars) + " characters long; at most "
                            + count(MAX_LINE_CHARS) + " are allowed";
                }
                if (c == '\r' && i + 1 < length && text.charAt(i + 1) == '\n') {
                    i++;
                }
                line++;
                start = i + 1;
            }
        }
        return null;
    }

    private static String count(long number) {
        return String.format(Locale.ROOT, "%,d", number);
    }
}
