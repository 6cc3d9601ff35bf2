package org.distarch.bench.soak;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads the ledgers of {@link SoakQueueCommand} after the run and checks the queue's promise: per feeder life,
 * every item it issued has exactly one outcome (never two, never one for an item it did not issue), and a
 * success only for an item some consumer handled. A feeder life that the soak SIGKILLed may end with items
 * still in flight and no outcome: those are counted, not violations (the application's source must recover
 * them, docs/queue-protocol.md); every other life must account for each item.
 */
final class QueueLedger {

    /** What the ledgers show. */
    record Figures(int lives, int killedLives, long issued, long ok, long errors, long inFlightAtKill,
                   long handledTwiceOrMore, Map<String, Long> errorReasons, List<String> violations) {}

    private QueueLedger() {}

    /** {@code killedFeederPids}: the feeders the soak SIGKILLed (a life is named after its pid). */
    static Figures check(Path dir, Set<Long> killedFeederPids) throws IOException {
        Map<String, Integer> handled = new HashMap<>();
        List<Path> feeders = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.log")) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.startsWith("feeder-")) {
                    feeders.add(file);
                } else if (name.startsWith("consumer-")) {
                    for (String line : lines(file)) {
                        String[] f = line.split(" ");
                        if (f.length == 3 && f[0].equals("handled")) {
                            handled.merge(f[1], 1, Integer::sum);
                        }
                    }
                }
            }
        }
        List<String> violations = new ArrayList<>();
        Map<String, Long> reasons = new TreeMap<>();
        long issued = 0;
        long ok = 0;
        long errors = 0;
        long inFlightAtKill = 0;
        int killed = 0;
        for (Path file : feeders) {
            String life = file.getFileName().toString().replaceFirst("^feeder-", "").replaceFirst("\\.log$", "");
            boolean wasKilled = killedFeederPids.contains(Long.parseLong(life.substring(0, life.indexOf('-'))));
            killed += wasKilled ? 1 : 0;
            Set<String> issuedHere = new HashSet<>();
            Map<String, Integer> outcomes = new HashMap<>();
            for (String line : lines(file)) {
                String[] f = line.split(" ", 3);
                if (f.length < 2) {
                    violations.add("feeder " + life + ": unreadable ledger line '" + line + "'");
                    continue;
                }
                switch (f[0]) {
                    case "issued" -> {
                        if (!issuedHere.add(f[1])) {
                            violations.add("feeder " + life + ": " + f[1] + " issued twice");
                        }
                    }
                    case "ok", "error" -> {
                        outcomes.merge(f[1], 1, Integer::sum);
                        if (!issuedHere.contains(f[1])) {
                            violations.add("feeder " + life + ": outcome '" + line + "' for an item it never issued");
                        }
                        if (f[0].equals("ok")) {
                            ok++;
                            if (!handled.containsKey(f[1])) {
                                violations.add("feeder " + life + ": " + f[1] + " succeeded, but no consumer handled it");
                            }
                        } else {
                            errors++;
                            reasons.merge(reason(f.length > 2 ? f[2] : ""), 1L, Long::sum);
                        }
                    }
                    default -> violations.add("feeder " + life + ": unreadable ledger line '" + line + "'");
                }
            }
            issued += issuedHere.size();
            for (Map.Entry<String, Integer> o : outcomes.entrySet()) {
                if (o.getValue() > 1) {
                    violations.add("feeder " + life + ": " + o.getKey() + " has " + o.getValue() + " outcomes");
                }
            }
            long without = issuedHere.stream().filter(id -> !outcomes.containsKey(id)).count();
            if (wasKilled) {
                inFlightAtKill += without;
            } else if (without > 0) {
                violations.add("feeder " + life + " (not killed by the soak): " + without + " issued item(s) without an "
                        + "outcome, e.g. " + issuedHere.stream().filter(id -> !outcomes.containsKey(id)).sorted().limit(3).toList());
            }
        }
        long twice = handled.values().stream().filter(n -> n > 1).count();
        return new Figures(feeders.size(), killed, issued, ok, errors, inFlightAtKill, twice, reasons, violations);
    }

    /** An error message without its item-specific parts (numbers), so like errors count together. */
    private static String reason(String message) {
        String r = message.replaceAll("[0-9]+", "N");
        return r.length() > 90 ? r.substring(0, 90) + "..." : r;
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
    }
}
