package io.kubescrape.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CPU time and resident memory of a process and its descendants, read from /proc (nginx and haproxy work in
 * child processes, kubectl may exec another binary). Linux only, as the benchmarks are.
 */
public final class ProcessStats {
    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ, 100 on every Linux we run on

    private ProcessStats() {
    }

    /** User plus system CPU seconds of the process and all its live descendants. */
    public static double cpuSeconds(long pid) {
        double total = 0;
        for (long p : tree(pid)) {
            String[] f = statFields(p);
            if (f.length > 14) {
                total += (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND; // utime, stime
            }
        }
        return total;
    }

    /** Resident set size in bytes, summed over the process and its descendants. */
    public static long rssBytes(long pid) {
        long total = 0;
        for (long p : tree(pid)) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(p), "status"))) {
                    if (line.startsWith("VmRSS:")) {
                        total += Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                    }
                }
            } catch (IOException gone) {
                // exited between listing and reading
            }
        }
        return total;
    }

    /** Open file descriptors of one process. */
    public static int openFiles(long pid) {
        try (var s = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
            return (int) s.count();
        } catch (IOException gone) {
            return -1;
        }
    }

    static List<Long> tree(long pid) {
        List<Long> out = new ArrayList<>();
        out.add(pid);
        for (int i = 0; i < out.size(); i++) {
            Path children = Path.of("/proc", String.valueOf(out.get(i)), "task", String.valueOf(out.get(i)), "children");
            try {
                for (String c : Files.readString(children).trim().split("\\s+")) {
                    if (!c.isEmpty()) {
                        out.add(Long.parseLong(c));
                    }
                }
            } catch (IOException gone) {
                // exited
            }
        }
        return out;
    }

    /** The fields of /proc/pid/stat after the command name (which may hold spaces), numbered from 0 = state. */
    private static String[] statFields(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        } catch (IOException gone) {
            return new String[0];
        }
    }
}
