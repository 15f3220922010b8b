package io.pbtnas.core.mix;

import io.pbtnas.core.safetensors.Durability;
import io.pbtnas.core.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.io.InterruptedIOException;

/**
 * Flushes a file being written on a background thread each time another {@link #STEP} bytes have
 * been written, so the disk writes while the mixer computes instead of all at the final fsync.
 * Durability still comes from the writer's commit; this only moves work earlier.
 */
final class WriteBehind implements AutoCloseable {
    static final long STEP = 32L << 20;

    private final SafetensorsWriter writer;
    private final Thread flusher;
    private long written; // guarded by this
    private long requested; // guarded by this
    private boolean stopping; // guarded by this
    private IOException failure; // guarded by this

    WriteBehind(SafetensorsWriter writer) {
        this.writer = writer;
        this.flusher = new Thread(this::run, "pbtnas-write-behind");
        flusher.setDaemon(true);
    }

    /** Notes that {@code bytes} more were written; reports a failed background flush early. */
    synchronized void wrote(long bytes) throws IOException {
        if (failure != null) {
            throw failure;
        }
        written += bytes;
        if (written - requested >= STEP && writer.durability() == Durability.FSYNC) { // else nothing to flush
            if (requested == 0) {
                flusher.start(); // only files past the first step get a flusher thread
            }
            requested = written;
            notifyAll();
        }
    }

    private void run() {
        long done = 0;
        while (true) {
            synchronized (this) {
                while (!stopping && requested == done) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (stopping) {
                    return;
                }
                done = requested;
            }
            try {
                writer.flushWritten();
            } catch (IOException e) {
                synchronized (this) {
                    failure = e;
                }
                return;
            }
        }
    }

    /** Stops flushing and waits for a flush in progress; a failed flush is reported here. */
    @Override
    public void close() throws IOException {
        synchronized (this) {
            stopping = true;
            notifyAll();
        }
        try {
            flusher.join(); // returns at once if it never started
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the background flush");
        }
        synchronized (this) {
            if (failure != null) {
                throw failure;
            }
        }
    }
}
