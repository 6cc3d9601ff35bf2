package org.distarch.launch.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.distarch.launch.Usage;

/**
 * CPU time and resident memory of a process and its descendants, from Linux's /proc. Zero where /proc
 * cannot tell (the process is gone, or this is not Linux).
 */
final class ProcessStats {

    private static final long TICKS_PER_SECOND = 100; // USER_HZ, 100 on every Linux distarch runs on

    private ProcessStats() {}

    static Usage of(long pid) {
        if (pid <= 0) {
            return Usage.UNKNOWN;
        }
        long cpu = 0;
        long rss = 0;
        Stream<ProcessHandle> tree = ProcessHandle.of(pid)
                .map(h -> Stream.concat(Stream.of(h), h.descendants()))
                .orElse(Stream.empty());
        for (ProcessHandle h : (Iterable<ProcessHandle>) tree::iterator) {
            cpu += cpuMillis(h.pid());
            rss += rssBytes(h.pid());
        }
        return new Usage(cpu, rss);
    }

    static long cpuMillis(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 1000 / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    static long rssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone, or not Linux
        }
        return 0;
    }
}
