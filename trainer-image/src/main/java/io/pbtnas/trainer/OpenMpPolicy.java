package io.pbtnas.trainer;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * Makes PyTorch's OpenMP threads sleep instead of spin while waiting (OMP_WAIT_POLICY=PASSIVE) unless the
 * caller chose a policy. With spinning, two threads on a machine shared with other busy processes (the
 * local mode runs several trainers at once) ran 5-10 times slower than one thread; passive waiting
 * removed that collapse (see the README's benchmark numbers). libgomp reads the variable when libtorch is
 * loaded, so this must run before the engine starts; Java cannot set its own environment, hence libc.
 */
final class OpenMpPolicy {
    private OpenMpPolicy() {
    }

    private interface LibC extends Library {
        int setenv(String name, String value, int overwrite);
    }

    static void passiveUnlessSet(Console console) {
        if (System.getenv("OMP_WAIT_POLICY") != null) {
            return;
        }
        try {
            Native.load("c", LibC.class).setenv("OMP_WAIT_POLICY", "PASSIVE", 0);
        } catch (LinkageError | RuntimeException e) {
            if (console != null) {
                console.warn("could not set OMP_WAIT_POLICY=PASSIVE (" + e.getMessage() + "); set it in the "
                        + "environment if several processes share the cores");
            }
        }
    }
}
