package io.pbtnas.cli.bench;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * What the client sent and received, counted on the client the benchmark shares between our code and
 * the baseline: GET requests, the body bytes read from their responses, the ranges they asked for,
 * and the body bytes of PUTs (uploads and parts).
 */
final class Traffic implements ExecutionInterceptor {
    private final AtomicLong gets = new AtomicLong();
    private final AtomicLong getBytes = new AtomicLong();
    private final AtomicLong puts = new AtomicLong();
    private final AtomicLong putBytes = new AtomicLong();
    private final List<String> ranges = new ArrayList<>(); // guarded by itself

    /** Counters at one moment; {@link #minus} gives what happened in between. */
    record Snapshot(long gets, long getBytes, long puts, long putBytes, int rangeCount) {
        Snapshot minus(Snapshot before) {
            return new Snapshot(gets - before.gets, getBytes - before.getBytes, puts - before.puts,
                    putBytes - before.putBytes, rangeCount - before.rangeCount);
        }
    }

    Snapshot snapshot() {
        synchronized (ranges) {
            return new Snapshot(gets.get(), getBytes.get(), puts.get(), putBytes.get(), ranges.size());
        }
    }

    /** The GETs' Range headers (or "whole" for none) since {@code before}, in the order they were sent. */
    List<String> rangesSince(Snapshot before) {
        synchronized (ranges) {
            return List.copyOf(ranges.subList(before.rangeCount(), ranges.size()));
        }
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        SdkHttpRequest r = context.httpRequest();
        if (r.method() == SdkHttpMethod.GET && !isListing(r)) {
            gets.incrementAndGet();
            synchronized (ranges) {
                ranges.add(r.firstMatchingHeader("Range").orElse("whole") + " " + r.encodedPath());
            }
        } else if (r.method() == SdkHttpMethod.PUT) {
            puts.incrementAndGet();
            putBytes.addAndGet(r.firstMatchingHeader("Content-Length").map(Long::parseLong).orElse(0L));
        }
    }

    @Override
    public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context,
                                                           ExecutionAttributes attributes) {
        Optional<InputStream> body = context.responseBody();
        if (context.httpRequest().method() != SdkHttpMethod.GET || isListing(context.httpRequest())) {
            return body;
        }
        return body.map(in -> new Counting(in, getBytes));
    }

    /** A bucket listing or HeadBucket-like GET on the bucket itself, not an object read. */
    private static boolean isListing(SdkHttpRequest r) {
        return r.rawQueryParameters().containsKey("list-type") || r.rawQueryParameters().containsKey("uploads");
    }

    /** Counts the bytes the client actually read off the response body. */
    private static final class Counting extends FilterInputStream {
        private final AtomicLong count;

        Counting(InputStream in, AtomicLong count) {
            super(in);
            this.count = count;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count.incrementAndGet();
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count.addAndGet(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = super.skip(n);
            count.addAndGet(Math.max(0, s));
            return s;
        }
    }
}
