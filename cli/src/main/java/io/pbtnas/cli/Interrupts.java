package io.pbtnas.cli;

/**
 * Ctrl-C and SIGTERM become a clean stop (trainers ended, state saved, exit
 * 130) instead of an abrupt JVM exit. Uses the JDK's signal API where present;
 * elsewhere a shutdown hook does the same work.
 */
final class Interrupts {
    private Interrupts() {
    }

    static void onInterrupt(Runnable stop) {
        try {
            for (String name : new String[] {"INT", "TERM"}) {
                sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> new Thread(stop, "stop").start());
            }
        } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
            Runtime.getRuntime().addShutdownHook(new Thread(stop, "stop"));
        }
    }
}
