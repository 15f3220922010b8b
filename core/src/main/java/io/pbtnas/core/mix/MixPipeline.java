package io.pbtnas.core.mix;

import io.pbtnas.core.safetensors.SafetensorsReader;
import io.pbtnas.core.safetensors.TensorInfo;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Computes the shrink-perturbed tensors' chunks on worker threads while the caller writes earlier
 * chunks and copies other tensors, so computation overlaps I/O. Chunks are claimed in file order
 * together with a buffer from a small fixed pool and handed to the caller in that order. Chunks are
 * small (one fresh-value block) so each stays in its core's cache from read to write; the pool
 * bounds memory whatever the checkpoint size. Which thread computes a chunk does not change it.
 */
final class MixPipeline implements AutoCloseable {
    private final ChunkSource jobs;
    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>(); // guarded by this
    /** Computed chunks by sequence number modulo the pool size; at most that many are in flight. */
    private final Chunk[] done; // guarded by this
    private final List<Thread> workers = new ArrayList<>();
    private long claimed; // guarded by this
    private long taken; // guarded by this
    private boolean closed; // guarded by this
    private Throwable failure; // guarded by this
    /** The chunk the writer holds. */
    private ByteBuffer inUse;

    private record Chunk(long seq, TensorInfo tensor, ByteBuffer bytes) {
    }

    /** A computed chunk handed to the writer: its tensor, and its bytes between position and limit. */
    record Ready(TensorInfo tensor, ByteBuffer bytes) {
    }

    private MixPipeline(List<TensorMix> tensors, int chunkElements, int threads) {
        this.jobs = new ChunkSource(tensors, chunkElements);
        int buffers = tensors.isEmpty() ? 0 : threads + 2; // each worker busy, one ready, one being written
        int elementSize = tensors.stream().mapToInt(t -> t.tensor().dtype().size()).max().orElse(1);
        for (int i = 0; i < buffers; i++) {
            free.add(ByteBuffer.allocateDirect(chunkElements * elementSize).order(ByteOrder.LITTLE_ENDIAN));
        }
        this.done = new Chunk[Math.max(1, buffers)];
    }

    /**
     * Starts computing the tensors' chunks of chunkElements (at most one fresh-value block) on
     * {@code threads} workers.
     */
    static MixPipeline start(SafetensorsReader donor, List<TensorMix> tensors, double shrink, double perturb,
                             int chunkElements, int threads) {
        MixPipeline p = new MixPipeline(tensors, chunkElements, threads);
        if (!tensors.isEmpty()) {
            for (int i = 0; i < threads; i++) {
                ChunkMixer mixer = new ChunkMixer(donor, shrink, perturb, chunkElements);
                Thread t = new Thread(() -> p.work(mixer), "pbtnas-shrink-perturb-" + i);
                t.setDaemon(true);
                p.workers.add(t);
                t.start();
            }
        }
        return p;
    }

    private void work(ChunkMixer mixer) {
        while (true) {
            ByteBuffer buffer;
            ChunkSource.Job job;
            long seq;
            synchronized (this) {
                while (!closed && failure == null && free.isEmpty() && jobs.hasNext()) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed || failure != null || !jobs.hasNext()) {
                    return;
                }
                buffer = free.poll(); // claimed with the job, in order: the writer's next chunk always has one
                job = jobs.next();
                seq = claimed++;
            }
            try {
                mixer.mix(job.tensor(), job.sampler(), job.first(), job.count(), buffer);
            } catch (Throwable e) { // handed to the writer, which rethrows it
                synchronized (this) {
                    failure = failure != null ? failure : e;
                    notifyAll();
                }
                return;
            }
            synchronized (this) {
                done[(int) (seq % done.length)] = new Chunk(seq, job.tensor().tensor(), buffer);
                notifyAll();
            }
        }
    }

    /**
     * The next chunk in file order, waiting until it is computed; null once every chunk was handed
     * out. Hand it back with {@link #release} once written.
     */
    Ready take() throws IOException {
        synchronized (this) {
            Ready r;
            while ((r = poll()) == null && more()) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while mixing");
                }
            }
            return r;
        }
    }

    /**
     * The next chunk in file order if it is computed already, else null (and null once every chunk
     * was handed out: see {@link #more}). Lets the writer do other work while it waits.
     */
    synchronized Ready poll() throws IOException {
        if (failure != null) {
            throw rethrow(failure);
        }
        int slot = (int) (taken % done.length);
        Chunk c = done[slot];
        if (c == null || c.seq() != taken) {
            return null;
        }
        done[slot] = null;
        taken++;
        inUse = c.bytes();
        return new Ready(c.tensor(), c.bytes());
    }

    /** Whether chunks are left to hand out. */
    synchronized boolean more() {
        return taken < claimed || jobs.hasNext();
    }

    private static IOException rethrow(Throwable failure) {
        if (failure instanceof IOException io) {
            return io;
        }
        if (failure instanceof RuntimeException re) {
            throw re;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        return new IOException("mixing failed", failure);
    }

    /** Returns the buffer last handed out by {@link #next} to the pool. */
    synchronized void release() {
        free.add(inUse);
        inUse = null;
        notifyAll();
    }

    /** Stops the workers (after their current chunk) and waits for them. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        boolean interrupted = false;
        for (Thread t : workers) {
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The chunks of all tensors in file order (not thread-safe: used under the pipeline's lock). */
    private static final class ChunkSource implements Iterator<ChunkSource.Job> {
        record Job(TensorMix tensor, FreshValues.BlockSampler sampler, long first, int count) {
        }

        private final Iterator<TensorMix> tensors;
        private final int chunkElements;
        private TensorMix current;
        private FreshValues.BlockSampler sampler;
        private long next;

        ChunkSource(List<TensorMix> tensors, int chunkElements) {
            this.tensors = tensors.iterator();
            this.chunkElements = chunkElements;
        }

        @Override
        public boolean hasNext() {
            while (current == null || next >= current.tensor().elementCount()) {
                if (!tensors.hasNext()) {
                    return false;
                }
                current = tensors.next();
                // Prepared once per tensor (the normal sampler's table), shared by the workers.
                sampler = current.init() == null ? null : FreshValues.sampler(current.init());
                next = 0;
            }
            return true;
        }

        @Override
        public Job next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            int count = (int) Math.min(chunkElements, current.tensor().elementCount() - next);
            Job job = new Job(current, sampler, next, count);
            next += count;
            return job;
        }
    }
}
