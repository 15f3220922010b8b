package io.pbtnas.cli.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * The baseline: the SDK's plain calls, none of pbtnas's code. A file goes up as one PutObject or, from
 * {@code partSize} on, as a multipart upload of parts of that size read from the file; an object comes
 * down with one GetObject streamed into a file.
 */
record PlainS3(S3Client s3, String bucket, long partSize) {

    void put(Path file, String key) throws IOException {
        long size = Files.size(file);
        if (size < partSize) {
            s3.putObject(b -> b.bucket(bucket).key(key).contentLength(size), RequestBody.fromFile(file));
            return;
        }
        String id = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
        List<CompletedPart> parts = new ArrayList<>();
        int n = 1;
        for (long off = 0; off < size; off += partSize, n++) {
            long from = off;
            long len = Math.min(partSize, size - off);
            int number = n;
            String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(id).partNumber(number).contentLength(len),
                    RequestBody.fromContentProvider(() -> slice(file, from, len), len, "application/octet-stream"))
                    .eTag();
            parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
        }
        s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(id).multipartUpload(m -> m.parts(parts)));
    }

    void get(String key, Path target) {
        s3.getObject(b -> b.bucket(bucket).key(key), ResponseTransformer.toFile(target));
    }

    /** {@code len} bytes of the file from {@code from}, as a stream the SDK can open again for a retry. */
    private static InputStream slice(Path file, long from, long len) {
        try {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.READ).position(from);
            InputStream all = Channels.newInputStream(ch);
            return new java.io.FilterInputStream(all) {
                private long left = len;

                @Override
                public int read() throws IOException {
                    if (left <= 0) {
                        return -1;
                    }
                    int b = super.read();
                    left -= b >= 0 ? 1 : 0;
                    return b;
                }

                @Override
                public int read(byte[] b, int off, int n) throws IOException {
                    if (left <= 0) {
                        return -1;
                    }
                    int got = super.read(b, off, (int) Math.min(n, left));
                    left -= Math.max(0, got);
                    return got;
                }
            };
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
