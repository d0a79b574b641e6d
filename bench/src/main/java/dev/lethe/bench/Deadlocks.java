package dev.lethe.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;

/**
 * Finds Java-level deadlocks in this JVM (the systems under test run here), so that a stage that
 * stalls says why instead of only timing out. Returns one line per deadlocked thread.
 */
final class Deadlocks {

    private Deadlocks() {
    }

    static List<String> find() {
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        final long[] ids = threads.findDeadlockedThreads();
        if (ids == null) {
            return List.of();
        }
        return Arrays.stream(threads.getThreadInfo(ids, true, true)).map(Deadlocks::describe).toList();
    }

    private static String describe(ThreadInfo info) {
        final StackTraceElement[] stack = info.getStackTrace();
        final String at = stack.length == 0 ? "?" : stack[0].getClassName() + "." + stack[0].getMethodName();
        return info.getThreadName() + " in " + at + " waiting for " + info.getLockName() + " held by "
                + info.getLockOwnerName();
    }
}
