package io.pbtnas.cli.local;

import java.io.IOException;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Runs another main class and halts the JVM as soon as standard input reaches
 * end of file. The parent keeps the pipe open and never writes to it, so EOF
 * means the parent died (the kernel closed its end): an orphaned trainer must
 * not keep writing into a work directory that a resumed run now owns.
 */
public final class ParentWatchdog {
    private ParentWatchdog() {
    }

    public static void main(String[] args) throws Throwable {
        if (args.length == 0) {
            System.err.println("usage: ParentWatchdog MAIN_CLASS [ARGS...]");
            System.exit(2);
        }
        Thread watch = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // Nothing is ever written; keep waiting for EOF.
                }
            } catch (IOException ignored) {
                // A broken pipe means the same: the parent is gone.
            }
            Runtime.getRuntime().halt(137);
        }, "parent-watchdog");
        watch.setDaemon(true);
        watch.start();
        Method main = Class.forName(args[0]).getMethod("main", String[].class);
        try {
            main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
        }
        // A returning main means success; exit so lingering non-daemon threads cannot keep the JVM alive.
        System.exit(0);
    }
}
