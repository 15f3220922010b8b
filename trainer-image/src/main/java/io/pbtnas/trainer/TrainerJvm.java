package io.pbtnas.trainer;

/**
 * The JVM options every built-in trainer process starts with: the cli's defaults for {@code pbtnas run} and
 * {@code pbtnas eval} are built from them, and {@code TrainerJvmTest} checks that the images' ENTRYPOINTs
 * carry them too. {@code main} prints the local mode's default, for scripts (benchmarks/trainer/run.sh).
 */
public final class TrainerJvm {
    /**
     * Serial GC: the Java heap holds no tensor data (libtorch allocates natively), so one collector thread
     * is enough and none competes with OpenMP's for the cores. C1 only ({@code TieredStopAtLevel=1}): the
     * time is spent in libtorch, and C2 compiling our glue cost 0.10 ms of CPU per training image over
     * 20 steps (15 % at all-sepconv3x3, 1 thread) and 0.03 over 150, for a main thread no faster
     * (benchmarks/README.md, section 5).
     */
    public static final String OPTIONS = "-XX:+UseSerialGC -XX:TieredStopAtLevel=1";
    /** {@code pbtnas run --trainer-java-opts}' default: one trainer per parallel member. */
    public static final String LOCAL_RUN = "-Xmx768m " + OPTIONS;
    /** {@code pbtnas eval --trainer-java-opts}' default: evaluates a whole test set at once. */
    public static final String LOCAL_EVAL = "-Xmx1g " + OPTIONS;

    private TrainerJvm() {
    }

    public static void main(String[] args) {
        System.out.println(LOCAL_RUN);
    }
}
