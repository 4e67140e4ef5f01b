package io.elanus.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CPU time of a Linux process and of each of its threads, from /proc/PID/stat and /proc/PID/task/TID/stat
 * (user + system time, in clock ticks of 1/100 s: USER_HZ is 100 on Linux). Two snapshots give the cores a
 * process used between them, in total and per thread.
 */
final class ProcessCpu {
    private static final double TICKS_PER_SECOND = 100;
    private static final Pattern NID = Pattern.compile("^\"(.*)\" .*\\bnid=(0x[0-9a-fA-F]+|\\d+)");

    private final long pid;

    ProcessCpu(long pid) {
        this.pid = pid;
    }

    /** Per-thread ticks at one moment (threads named by their kernel name, at most 15 characters). */
    record Snapshot(long nanos, long processTicks, Map<Long, Long> threadTicks, Map<Long, String> threadNames) {
        double coresSince(Snapshot earlier) {
            return (processTicks - earlier.processTicks) / TICKS_PER_SECOND / ((nanos - earlier.nanos) / 1e9);
        }
    }

    /** One thread's share between two snapshots: cores (CPU seconds per wall second). */
    record ThreadCores(long tid, String name, double cores) {
    }

    Snapshot snapshot() throws IOException {
        long nanos = System.nanoTime();
        long total = ticks(Files.readString(Path.of("/proc/" + pid + "/stat")));
        Map<Long, Long> ticks = new HashMap<>();
        Map<Long, String> names = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    long tid = Long.parseLong(task.getFileName().toString());
                    ticks.put(tid, ticks(stat));
                    names.put(tid, stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')));
                } catch (NoSuchFileException ended) {
                    // the thread ended between the listing and the read
                }
            }
        }
        return new Snapshot(nanos, total, ticks, names);
    }

    /** utime + stime: fields 14 and 15 of stat, counted after the parenthesised name (which may hold spaces). */
    private static long ticks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /**
     * The threads that used CPU between two snapshots, busiest first; a thread started in between counts from
     * zero. {@code javaNames} (thread id to full Java name, from {@link #javaThreadNames}) replaces the kernel's
     * truncated names where it knows the thread.
     */
    static List<ThreadCores> busiest(Snapshot from, Snapshot to, Map<Long, String> javaNames) {
        double seconds = (to.nanos - from.nanos) / 1e9;
        List<ThreadCores> out = new ArrayList<>();
        to.threadTicks.forEach((tid, t) -> {
            long used = t - from.threadTicks.getOrDefault(tid, 0L);
            if (used > 0) {
                out.add(new ThreadCores(tid, javaNames.getOrDefault(tid, to.threadNames.get(tid)),
                        used / TICKS_PER_SECOND / seconds));
            }
        });
        out.sort(Comparator.comparingDouble(ThreadCores::cores).reversed());
        return out;
    }

    /** Sums threads by name with their trailing numbers removed (grpc-default-executor-3 -> grpc-default-executor-#). */
    static Map<String, Double> byGroup(List<ThreadCores> threads) {
        Map<String, Double> groups = new LinkedHashMap<>();
        for (ThreadCores t : threads) {
            groups.merge(t.name().replaceAll("\\d+", "#"), t.cores(), Double::sum);
        }
        List<Map.Entry<String, Double>> sorted = new ArrayList<>(groups.entrySet());
        sorted.sort(Map.Entry.<String, Double>comparingByValue().reversed());
        Map<String, Double> out = new LinkedHashMap<>();
        sorted.forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** Full Java thread names by kernel thread id, from a thread dump taken with jcmd (empty if jcmd fails). */
    Map<Long, String> javaThreadNames() {
        Map<Long, String> names = new HashMap<>();
        for (String line : Jcmd.run(pid, "Thread.print").split("\n")) {
            Matcher m = NID.matcher(line);
            if (m.find()) {
                String nid = m.group(2);
                names.put(nid.startsWith("0x") ? Long.parseLong(nid.substring(2), 16) : Long.parseLong(nid), m.group(1));
            }
        }
        return names;
    }
}
