package io.payegress.gateway.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time of the run's processes, read from {@code /proc/<pid>/stat} (user plus system ticks), so that a run says
 * where the machine's cores went: the gateways, the simulator, Redis, the load tool itself. Processes are named
 * {@code name:pid} ({@code --watch=simulator:123,redis:456}); the load tool adds itself.
 */
final class ProcessCpu {

    /** Clock ticks per second of {@code /proc}'s counters: 100 on Linux on every platform this runs on. */
    private static final double TICKS_PER_SECOND = 100;

    private final Map<String, Long> pids = new LinkedHashMap<>();

    private ProcessCpu() {}

    /** The processes named in {@code name:pid,...} (may be empty), and this process as {@code load-tool}. */
    static ProcessCpu watching(String named) {
        ProcessCpu cpu = new ProcessCpu();
        for (String entry : named.split(",")) {
            int colon = entry.lastIndexOf(':');
            if (colon > 0) {
                cpu.pids.put(
                        entry.substring(0, colon).trim(),
                        Long.parseLong(entry.substring(colon + 1).trim()));
            }
        }
        cpu.pids.put("load-tool", ProcessHandle.current().pid());
        return cpu;
    }

    /** CPU seconds used so far by each watched process (absent when its {@code /proc} entry cannot be read). */
    Map<String, Double> seconds() {
        Map<String, Double> seconds = new LinkedHashMap<>();
        pids.forEach((name, pid) -> {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
                // fields after the command name (which may hold spaces) start after the last ')'
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                seconds.put(name, ticks / TICKS_PER_SECOND);
            } catch (IOException | RuntimeException e) {
                // gone or not Linux: left out of the figures
            }
        });
        return seconds;
    }

    /** Prints each process's CPU between the two readings, as seconds and as cores over the run, and the load. */
    static void print(Map<String, Double> before, Map<String, Double> after, double runSeconds) {
        StringBuilder line =
                new StringBuilder(String.format("CPU over the run and its drain (%.1f s; cores used):", runSeconds));
        double total = 0;
        for (Map.Entry<String, Double> entry : after.entrySet()) {
            Double start = before.get(entry.getKey());
            if (start != null) {
                double used = entry.getValue() - start;
                total += used;
                line.append(String.format(" %s %.1f s (%.2f),", entry.getKey(), used, used / runSeconds));
            }
        }
        line.append(String.format(
                " all %.1f s (%.2f cores of %d)",
                total, total / runSeconds, Runtime.getRuntime().availableProcessors()));
        try {
            line.append("; load average ")
                    .append(Files.readString(Path.of("/proc/loadavg")).trim());
        } catch (IOException e) {
            // not Linux
        }
        System.out.println(line);
    }
}
