package io.pbtnas.cli.storage;

import io.pbtnas.core.safetensors.ByteSource;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * An object in a bucket as a {@link ByteSource}. A read nobody announced is one ranged GET. Once
 * told what will be read ({@link #willRead}), a background thread streams those ranges with one
 * GET per run of nearby ranges (the gaps between them are read and dropped, up to {@link #MAX_GAP})
 * into blocks of at most {@link #BLOCK} bytes, at most {@link #WINDOW} bytes ahead of the readers:
 * memory stays bounded whatever the object's size. A block is dropped once all of its bytes were read,
 * which is why the announced ranges must each be read exactly once.
 */
final class S3ObjectSource implements ByteSource {
    static final int BLOCK = 4 << 20;
    static final long WINDOW = 24L << 20;
    static final long MAX_GAP = 4L << 20;
    private static final int STREAM_RETRIES = 3;

    private record Block(long start, byte[] bytes) {
        long end() {
            return start + bytes.length;
        }
    }

    /** One GET: the ranges it serves, in order. */
    record Run(long start, long end, List<Range> ranges) {
    }

    private final S3Client s3;
    private final S3Location where;
    private final long size;

    // the announced ranges, by start (guarded by this)
    private final TreeMap<Long, Range> planned = new TreeMap<>();
    private final TreeMap<Long, Block> blocks = new TreeMap<>();
    private long buffered;
    /** Announced bytes before this were produced already (and perhaps read and dropped). */
    private long cursor;
    private IOException failure;
    private boolean closed;
    private Thread fetcher;
    private ResponseInputStream<GetObjectResponse> open; // the fetcher's stream, aborted by close

    S3ObjectSource(S3Client s3, S3Location where, long size) {
        this.s3 = s3;
        this.where = where;
        this.size = size;
    }

    @Override
    public String name() {
        return where.toString();
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public synchronized void willRead(List<Range> ranges) {
        if (fetcher != null || ranges.isEmpty()) {
            return; // one plan per source: the mix announces once
        }
        long last = 0;
        for (Range r : ranges) {
            if (r.start() < last || r.end() > size) {
                return; // not in order or past the end: not a plan this streams; reads stay ranged GETs
            }
            last = r.end();
        }
        for (Range r : ranges) {
            if (r.length() > 0) {
                planned.put(r.start(), r);
            }
        }
        List<Run> runs = runs(ranges);
        cursor = 0;
        fetcher = new Thread(() -> fetch(runs), "pbtnas-s3-read-" + where.fileName());
        fetcher.setDaemon(true);
        fetcher.start();
    }

    /** Groups ranges into GETs: a gap of at most MAX_GAP is cheaper to read and drop than a new request. */
    static List<Run> runs(List<Range> ranges) {
        List<Run> runs = new ArrayList<>();
        List<Range> current = new ArrayList<>();
        long start = -1;
        long end = -1;
        for (Range r : ranges) {
            if (r.length() == 0) {
                continue;
            }
            if (!current.isEmpty() && r.start() - end > MAX_GAP) {
                runs.add(new Run(start, end, current));
                current = new ArrayList<>();
            }
            if (current.isEmpty()) {
                start = r.start();
            }
            current.add(r);
            end = r.end();
        }
        if (!current.isEmpty()) {
            runs.add(new Run(start, end, current));
        }
        return runs;
    }

    @Override
    public void readFully(ByteBuffer dst, long position) throws IOException {
        if (position < 0 || position + dst.remaining() > size) {
            throw new EOFException(where + ": bytes [" + position + ", " + (position + dst.remaining())
                    + ") are past the object's end (" + size + " bytes)");
        }
        long pos = position;
        while (dst.hasRemaining()) {
            int n = fromStream(dst, pos);
            if (n < 0) { // not announced, or announced and read already: a GET of its own
                int len = dst.remaining();
                ranged(dst, pos, len);
                return;
            }
            pos += n;
        }
    }

    /** Copies from a streamed block (waiting for it if it is still to come); -1 if the stream won't have it. */
    private synchronized int fromStream(ByteBuffer dst, long pos) throws IOException {
        while (true) {
            Map.Entry<Long, Block> e = blocks.floorEntry(pos);
            if (e != null && pos < e.getValue().end()) {
                Block b = e.getValue();
                int off = (int) (pos - b.start());
                int n = Math.min(dst.remaining(), b.bytes().length - off);
                dst.put(b.bytes(), off, n);
                consumed(b, n);
                return n;
            }
            if (!coming(pos)) {
                return -1;
            }
            if (failure != null) {
                throw new IOException(failure.getMessage(), failure);
            }
            if (closed) {
                throw new IOException(where + ": closed while reading");
            }
            try {
                wait();
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading " + where);
            }
        }
    }

    private final Map<Block, long[]> readCounts = new java.util.IdentityHashMap<>();

    private void consumed(Block b, int n) {
        long[] count = readCounts.computeIfAbsent(b, k -> new long[1]);
        count[0] += n;
        if (count[0] >= b.bytes().length) {
            readCounts.remove(b);
            blocks.remove(b.start());
            buffered -= b.bytes().length;
            notifyAll();
        }
    }

    /** Whether pos was announced and its block has not been produced yet. */
    private boolean coming(long pos) {
        if (pos < cursor) {
            return false;
        }
        Map.Entry<Long, Range> r = planned.floorEntry(pos);
        return r != null && pos < r.getValue().end();
    }

    private void fetch(List<Run> runs) {
        try {
            for (Run run : runs) {
                fetchRun(run);
            }
            synchronized (this) {
                cursor = Long.MAX_VALUE; // all produced: a later read of announced bytes is a GET of its own
                notifyAll();
            }
        } catch (IOException | RuntimeException e) {
            synchronized (this) {
                failure = e instanceof IOException io ? io : new IOException(where + ": " + e.getMessage(), e);
                notifyAll(); // the readers waiting for these bytes fail with it
            }
        }
    }

    private void fetchRun(Run run) throws IOException {
        long pos = run.start();
        int failures = 0;
        SkippingStream in = openStream(pos, run.end());
        try {
            for (Range r : run.ranges()) {
                while (pos < r.end()) {
                    try {
                        if (pos < r.start()) {
                            pos += in.skipNBytes0(r.start() - pos);
                            continue;
                        }
                        int len = (int) Math.min(BLOCK, r.end() - pos);
                        byte[] bytes = new byte[len];
                        awaitRoom(len);
                        int got = in.readNBytes(bytes, 0, len);
                        if (got < len) {
                            throw new EOFException(where + ": the object ended at byte " + (pos + got)
                                    + " while streaming up to " + run.end() + " (changed while being read?)");
                        }
                        publish(new Block(pos, bytes));
                        pos += len;
                    } catch (IOException e) {
                        if (isClosed() || e instanceof EOFException || ++failures > STREAM_RETRIES) {
                            throw e instanceof EOFException ? e
                                    : new IOException("reading " + where + " at byte " + pos + ": " + e.getMessage(), e);
                        }
                        in.close();
                        in = openStream(pos, run.end()); // a dropped connection: go on where it stopped
                    }
                }
            }
        } finally {
            abortQuietly(in);
        }
    }

    private SkippingStream openStream(long from, long to) throws IOException {
        try {
            ResponseInputStream<GetObjectResponse> s = s3.getObject(GetObjectRequest.builder().bucket(where.bucket())
                    .key(where.key()).range("bytes=" + from + "-" + (to - 1)).build());
            synchronized (this) {
                if (closed) {
                    s.abort();
                    throw new IOException(where + ": closed");
                }
                open = s;
            }
            return new SkippingStream(s);
        } catch (SdkException e) {
            throw S3Errors.of("reading", where, e);
        }
    }

    private synchronized void awaitRoom(int len) throws IOException {
        while (!closed && buffered > 0 && buffered + len > WINDOW) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted");
            }
        }
        if (closed) {
            throw new IOException(where + ": closed");
        }
    }

    private synchronized void publish(Block b) {
        blocks.put(b.start(), b);
        buffered += b.bytes().length;
        cursor = b.end();
        notifyAll();
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    /** One GET of exactly {@code len} bytes at {@code pos}. */
    private void ranged(ByteBuffer dst, long pos, int len) throws IOException {
        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(GetObjectRequest.builder()
                .bucket(where.bucket()).key(where.key()).range("bytes=" + pos + "-" + (pos + len - 1)).build())) {
            byte[] buf = new byte[Math.min(len, 1 << 20)];
            for (int left = len; left > 0; ) {
                int got = in.readNBytes(buf, 0, Math.min(buf.length, left));
                if (got == 0) {
                    throw new EOFException(where + ": the object ended before byte " + (pos + len));
                }
                dst.put(buf, 0, got);
                left -= got;
            }
        } catch (SdkException e) {
            throw S3Errors.of("reading", where, e);
        }
    }

    private static void abortQuietly(SkippingStream in) {
        try {
            in.inner.abort(); // the rest of the range is not wanted: drop the connection, don't drain it
            in.close();
        } catch (IOException | RuntimeException ignored) {
            // closing a stream we no longer read
        }
    }

    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            notifyAll();
            if (open != null) {
                open.abort();
            }
            t = fetcher;
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            blocks.clear();
            readCounts.clear();
        }
    }

    /** A response stream with a skip that reads (and drops) exactly n bytes or fails. */
    private static final class SkippingStream extends java.io.FilterInputStream {
        final ResponseInputStream<GetObjectResponse> inner;

        SkippingStream(ResponseInputStream<GetObjectResponse> inner) {
            super(inner);
            this.inner = inner;
        }

        long skipNBytes0(long n) throws IOException {
            skipNBytes(n);
            return n;
        }
    }
}
