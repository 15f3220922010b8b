package io.pbtnas.cli;

import io.pbtnas.cli.storage.StorageUnavailableException;
import io.pbtnas.core.pod.StorageFailure;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How a failed step tells what went wrong: on stderr and, in a pod, in its termination message (the
 * file --termination-log names, /dev/termination-log), which the operator reads. A bucket that cannot
 * be reached at all starts with core's {@link StorageFailure#PREFIX}, so the operator sets condition
 * StorageUnavailable instead of counting a failed attempt; any other failure is written as it is.
 */
final class TerminationLog {
    private TerminationLog() {
    }

    /** The message for a failure: {@code message}, or the storage failure's when {@code cause} holds one. */
    static String text(String message, Throwable cause) {
        StorageUnavailableException s = StorageUnavailableException.in(cause);
        return s != null ? StorageFailure.message(s.getMessage()) : message;
    }

    /**
     * Prints {@code "pbtnas <command>: " + text} on stderr and writes {@code text} to {@code file} when
     * one is given; returns {@code code}. Written in place, not by rename: in a pod the file is a mount
     * point the kubelet reads. A file that cannot be written is told on stderr and changes nothing else.
     */
    static int fail(PrintWriter err, Path file, String command, int code, String message, Throwable cause) {
        String text = text(message, cause);
        err.println("pbtnas " + command + ": " + text);
        if (file != null) {
            try {
                Files.writeString(file, text);
            } catch (IOException | RuntimeException e) {
                err.println("pbtnas " + command + ": --termination-log " + file + ": cannot write it: " + e.getMessage());
            }
        }
        return code;
    }
}
