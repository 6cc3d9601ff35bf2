package org.distarch.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * "Did you mean" for a mistyped key or name: same word ignoring case, '-' and '_', or at most two edits away.
 * Public for the start-up checks of the master (a mistyped worker command); not meant for applications.
 */
public final class Suggestions {

    private static final int MAX_DISTANCE = 2;

    private Suggestions() {}

    public static Optional<String> closest(String typed, Collection<String> known) {
        String normalTyped = normalize(typed);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            if (normalize(candidate).equals(normalTyped)) {
                return Optional.of(candidate);
            }
            int distance = distance(typed.toLowerCase(Locale.ROOT), candidate);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return bestDistance <= MAX_DISTANCE ? Optional.of(best) : Optional.empty();
    }

    private static String normalize(String key) {
        return key.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "").replace(" ", "");
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
