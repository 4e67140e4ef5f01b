package io.elanus.bench;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Aggregates a flight recording's stack samples into the tables a profile reading needs: samples per thread
 * group, top methods by self samples (the sampled frame), by inclusive samples (anywhere on the stack), and
 * by the first project frame (the first {@code io.elanus} frame from the top, so time in the JDK or a library
 * is charged to the project code that called it); for both wall-clock execution samples
 * (jdk.ExecutionSample, Java code only) and CPU-time samples (jdk.CPUTimeSample, JDK 25). Also GC pauses and
 * allocation by site, and the JVM's own CPU-load events.
 * Usage: JfrTop recording.jfr [rows=25] > report.txt
 */
public final class JfrTop {
    private static final String PROJECT = "io.elanus.";

    private JfrTop() {
    }

    /** Counts (or weights) by key, printed best first with their share of the total. */
    private static final class Tally {
        private final Map<String, Double> counts = new HashMap<>();
        private double total;

        void add(String key, double weight) {
            counts.merge(key, weight, Double::sum);
        }

        void addTotal(double weight) {
            total += weight;
        }

        void print(StringBuilder out, String title, int rows, String unit) {
            out.append(String.format("%n%s (total %.0f %s)%n", title, total, unit));
            counts.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(rows)
                    .forEach(e -> out.append(String.format("  %6.2f%%  %10.0f  %s%n", 100 * e.getValue() / total,
                            e.getValue(), e.getKey())));
        }
    }

    /** The tables for one kind of stack sample. */
    private static final class Samples {
        final Tally threads = new Tally();
        final Tally self = new Tally();
        final Tally inclusive = new Tally();
        final Tally firstProject = new Tally();
        final Tally stacks = new Tally();

        void add(RecordedEvent e) {
            RecordedStackTrace st = e.getStackTrace();
            RecordedThread thread = e.getThread(e.hasField("sampledThread") ? "sampledThread" : "eventThread");
            String name = thread == null ? "?" : String.valueOf(thread.getJavaName());
            for (Tally t : List.of(threads, self, inclusive, firstProject, stacks)) {
                t.addTotal(1);
            }
            threads.add(name.replaceAll("\\d+", "#"), 1);
            if (st == null || st.getFrames().isEmpty()) {
                self.add("(no stack)", 1);
                return;
            }
            List<RecordedFrame> frames = st.getFrames();
            self.add(method(frames.getFirst()), 1);
            Set<String> seen = new HashSet<>();
            for (RecordedFrame f : frames) {
                String m = method(f);
                if (seen.add(m)) {
                    inclusive.add(m, 1);
                }
            }
            String project = frames.stream().map(JfrTop::method).filter(m -> m.startsWith(PROJECT)).findFirst()
                    .orElse("(no project frame) " + method(frames.getLast()));
            firstProject.add(project, 1);
            StringBuilder stack = new StringBuilder();
            for (int i = 0; i < Math.min(6, frames.size()); i++) {
                stack.append(i == 0 ? "" : " <- ").append(method(frames.get(i)));
            }
            stacks.add(stack.toString(), 1);
        }

        void print(StringBuilder out, String kind, int rows) {
            if (threads.total == 0) {
                out.append(String.format("%nno %s events%n", kind));
                return;
            }
            threads.print(out, kind + ": samples by thread (numbers replaced by #)", rows, "samples");
            self.print(out, kind + ": top methods, self", rows, "samples");
            firstProject.print(out, kind + ": first io.elanus frame from the top", rows, "samples");
            inclusive.print(out, kind + ": top methods, inclusive", rows * 2, "samples");
            stacks.print(out, kind + ": top stacks (6 frames)", rows, "samples");
        }
    }

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]);
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 25;
        Samples execution = new Samples();
        Samples cpuTime = new Samples();
        Samples nativeSamples = new Samples();
        Tally allocation = new Tally();
        Set<Long> allocatingThreads = new HashSet<>();
        Tally threadLoad = new Tally();
        Map<String, Integer> threadLoadCount = new HashMap<>();
        long gcCount = 0;
        Duration gcPauses = Duration.ZERO;
        double gcCpuSeconds = 0;
        double jvmUser = 0;
        double jvmSystem = 0;
        double machine = 0;
        int cpuLoadCount = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            switch (e.getEventType().getName()) {
                case "jdk.ExecutionSample" -> execution.add(e);
                case "jdk.CPUTimeSample" -> cpuTime.add(e);
                case "jdk.NativeMethodSample" -> nativeSamples.add(e);
                case "jdk.ObjectAllocationSample" -> {
                    // A thread's first sample weighs everything it allocated since it started, before the recording.
                    RecordedThread thread = e.getThread("eventThread");
                    if (thread == null || allocatingThreads.add(thread.getId())) {
                        continue;
                    }
                    RecordedStackTrace st = e.getStackTrace();
                    String site = st == null ? "?" : st.getFrames().stream().map(JfrTop::method)
                            .filter(m -> m.startsWith(PROJECT)).findFirst()
                            .orElse(st.getFrames().isEmpty() ? "?" : method(st.getFrames().getFirst()));
                    double bytes = e.getLong("weight");
                    allocation.add(site + "  [" + e.getClass("objectClass").getName() + "]", bytes / 1e6);
                    allocation.addTotal(bytes / 1e6);
                }
                case "jdk.GarbageCollection" -> {
                    gcCount++;
                    gcPauses = gcPauses.plus(e.getDuration("sumOfPauses"));
                }
                case "jdk.GCCPUTime" -> gcCpuSeconds += (e.getLong("userTime") + e.getLong("systemTime")) / 1e9;
                case "jdk.CPULoad" -> {
                    jvmUser += e.getFloat("jvmUser");
                    jvmSystem += e.getFloat("jvmSystem");
                    machine += e.getFloat("machineTotal");
                    cpuLoadCount++;
                }
                case "jdk.ThreadCPULoad" -> {
                    String name = String.valueOf(e.getThread("eventThread").getJavaName());
                    threadLoad.add(name, e.getFloat("user") + e.getFloat("system"));
                    threadLoadCount.merge(name, 1, Integer::sum);
                }
                default -> {
                }
            }
        }
        StringBuilder out = new StringBuilder("Flight recording " + file.getFileName() + "\n");
        int cores = Runtime.getRuntime().availableProcessors();
        if (cpuLoadCount > 0) {
            out.append(String.format("jdk.CPULoad (mean of %d, in cores of %d): JVM user %.2f, JVM system %.2f, machine %.2f%n",
                    cpuLoadCount, cores, cores * jvmUser / cpuLoadCount, cores * jvmSystem / cpuLoadCount,
                    cores * machine / cpuLoadCount));
        }
        out.append(String.format("GC: %d collections, %.1f ms of pauses, GC threads' CPU %.2f s%n", gcCount,
                gcPauses.toNanos() / 1e6, gcCpuSeconds));
        execution.print(out, "jdk.ExecutionSample", rows);
        cpuTime.print(out, "jdk.CPUTimeSample", rows);
        nativeSamples.print(out, "jdk.NativeMethodSample", rows);
        allocation.print(out, "allocation by first io.elanus frame [class] (each thread's first sample left out)", rows, "MB sampled");
        if (!threadLoadCount.isEmpty()) {
            out.append(String.format("%njdk.ThreadCPULoad: mean share of the machine (user + system; 1.0 = all %d cores)%n", cores));
            List<Map.Entry<String, Double>> mean = new ArrayList<>();
            threadLoad.counts.forEach((k, v) -> mean.add(Map.entry(k, v / threadLoadCount.get(k))));
            mean.sort(Map.Entry.<String, Double>comparingByValue().reversed());
            mean.stream().limit(rows).forEach(en -> out.append(String.format("  %.4f  (%.3f cores)  %s%n",
                    en.getValue(), en.getValue() * cores, en.getKey())));
        }
        System.out.print(out);
    }

    private static String method(RecordedFrame f) {
        RecordedMethod m = f.getMethod();
        if (m == null) {
            return "?";
        }
        return m.getType().getName() + "." + m.getName() + (f.isJavaFrame() ? "" : " [native]");
    }
}
