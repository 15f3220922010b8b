package io.pbtnas.cli.storage;

import io.pbtnas.core.safetensors.ByteSource;
import io.pbtnas.core.safetensors.NoReplace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Reads and writes a bucket's objects for pbtnas: no object is ever replaced ({@code If-None-Match: *}),
 * large files go up in parts, an attempt's folder goes up with {@code metrics.json} last (so a result
 * counts only once everything else is there), and objects are read by ranged, streaming GETs.
 */
public final class S3Objects implements AutoCloseable {
    /** Part size, and the size from which a file goes up in parts. */
    public static final long DEFAULT_PART_SIZE = 64L << 20;
    /** Written last: its presence means the attempt's other objects are all there. */
    public static final String LAST = "metrics.json";

    private final S3Client s3;
    private final long partSize;

    public S3Objects(S3Client s3, long partSize) {
        if (partSize < 5L << 20) {
            throw new IllegalArgumentException("part size " + partSize + " is below S3's minimum of 5 MiB");
        }
        this.s3 = s3;
        this.partSize = partSize;
    }

    /** A client from the standard AWS environment (see {@link S3Settings#fromEnvironment}). */
    public static S3Objects fromEnvironment() {
        return of(S3Settings.fromEnvironment(System.getenv()));
    }

    /** A client for {@code settings}, with the default part size. */
    public static S3Objects of(S3Settings settings) {
        return new S3Objects(S3Clients.create(settings), DEFAULT_PART_SIZE);
    }

    public S3Client client() {
        return s3;
    }

    /**
     * The object's size; {@link java.nio.file.NoSuchFileException} naming it when it is not there,
     * {@link StorageUnavailableException} when the bucket cannot be reached.
     */
    public long size(S3Location object) throws IOException {
        try {
            return s3.headObject(HeadObjectRequest.builder().bucket(object.bucket()).key(object.key()).build())
                    .contentLength();
        } catch (S3Exception e) {
            IOException io = S3Errors.of("reading", object, e);
            explainHead("reading", object);
            throw io;
        } catch (SdkException e) {
            throw S3Errors.of("reading", object, e);
        }
    }

    /**
     * Checks that the bucket exists and answers these credentials (HeadBucket), before a step starts;
     * {@link StorageUnavailableException} naming the bucket and the S3 error when it does not.
     */
    public void requireReachable(S3Location where) throws IOException {
        try {
            s3.headBucket(b -> b.bucket(where.bucket()));
        } catch (S3Exception e) {
            IOException io = S3Errors.of("checking the bucket of", where, e);
            explainHead("checking the bucket of", where);
            throw io;
        } catch (SdkException e) {
            throw S3Errors.of("checking the bucket of", where, e);
        }
    }

    /**
     * A HEAD's answer has no body, so no S3 error code: a 404 may be a missing key or a missing
     * bucket (or, on versitygw, an unknown access key), a 403 any refusal. A one-key listing of the
     * same bucket tells which: its error is thrown when it says the bucket cannot be reached; when the
     * listing works, the HEAD's own error stands.
     */
    private void explainHead(String action, S3Location where) throws IOException {
        try {
            s3.listObjectsV2(b -> b.bucket(where.bucket()).prefix(where.key()).maxKeys(1));
        } catch (SdkException e) {
            IOException io = S3Errors.of(action, where, e);
            if (io instanceof StorageUnavailableException) {
                throw io;
            }
        }
    }

    public boolean exists(S3Location object) throws IOException {
        try {
            size(object);
            return true;
        } catch (java.nio.file.NoSuchFileException e) {
            return false;
        }
    }

    /** The object as a seekable source, streamed once told what will be read. */
    public ByteSource open(S3Location object) throws IOException {
        return new S3ObjectSource(s3, object, size(object));
    }

    /**
     * Uploads a file as a new object; {@link FileAlreadyExistsException} when the key exists (the
     * server's {@code If-None-Match: *} decides, so two writers racing cannot both win).
     */
    public void putNew(Path file, S3Location target) throws IOException {
        put(file, target, true);
    }

    /**
     * Uploads a file, replacing the object if there is one: only for what is derived and rewritten
     * whole on every run (best/, history.json, report.html), never for a checkpoint or a result.
     */
    public void putReplacing(Path file, S3Location target) throws IOException {
        put(file, target, false);
    }

    private void put(Path file, S3Location target, boolean noOverwrite) throws IOException {
        long size = Files.size(file);
        if (size < partSize) {
            try {
                s3.putObject(b -> b.bucket(target.bucket()).key(target.key()).contentLength(size)
                                .ifNoneMatch(noOverwrite ? "*" : null),
                        RequestBody.fromFile(file));
            } catch (SdkException e) {
                throw S3Errors.of("uploading " + file + " to", target, e);
            }
            return;
        }
        new MultipartUpload(s3, target, partSize, noOverwrite).upload(file, size);
    }

    /**
     * Uploads every file under {@code dir} below {@code prefix}, {@value #LAST} last, none replacing an
     * existing object. Returns the objects written, in order.
     */
    public List<S3Location> putAttempt(Path dir, S3Location prefix) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = new ArrayList<>(s.filter(Files::isRegularFile)
                    .sorted(Comparator.comparing((Path p) -> p.getFileName().toString().equals(LAST)
                            && p.getParent().equals(dir)).thenComparing(Path::toString))
                    .toList());
        }
        List<S3Location> written = new ArrayList<>();
        for (Path f : files) {
            S3Location target = prefix.resolve(dir.relativize(f).toString().replace('\\', '/'));
            putNew(f, target);
            written.add(target);
        }
        return written;
    }

    /** Downloads an object to a local file, which appears whole or not at all (and is never replaced). */
    public void download(S3Location object, Path target) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temp = NoReplace.tempFor(target);
        try {
            s3.getObject(GetObjectRequest.builder().bucket(object.bucket()).key(object.key()).build(),
                    ResponseTransformer.toFile(temp));
            // Durable before it gets its name, as NoReplace expects: `stage` takes a file of the right
            // size as already there, which a torn file after a crash would be too.
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            NoReplace.publish(temp, target);
        } catch (SdkException e) {
            throw S3Errors.of("downloading", object, e);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** A small object's text (a resource's JSON, a status). */
    public String readString(S3Location object) throws IOException {
        try {
            return s3.getObjectAsBytes(b -> b.bucket(object.bucket()).key(object.key())).asUtf8String();
        } catch (SdkException e) {
            throw S3Errors.of("reading", object, e);
        }
    }

    /** Downloads every object under {@code prefix} into {@code dir}, keeping the key's folders. */
    public List<Path> downloadTree(S3Location prefix, Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Map.Entry<String, Long> e : list(prefix).entrySet()) {
            Path target = dir.resolve(e.getKey()).normalize();
            if (!target.startsWith(dir.normalize())) {
                throw new IOException(prefix.resolve(e.getKey()) + ": key escapes the target folder " + dir);
            }
            download(prefix.resolve(e.getKey()), target);
            out.add(target);
        }
        return out;
    }

    /** Keys under {@code prefix} (relative to it) and their sizes, in key order. */
    public Map<String, Long> list(S3Location prefix) throws IOException {
        Map<String, Long> out = new java.util.TreeMap<>();
        try {
            for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(prefix.bucket()).prefix(prefix.prefix())).contents()) {
                out.put(o.key().substring(prefix.prefix().length()), o.size());
            }
        } catch (SdkException e) {
            throw S3Errors.of("listing", prefix, e);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return out;
    }

    /** DeleteObjects takes at most this many keys per request. */
    static final int DELETE_BATCH = 1000;

    /**
     * Deletes every object under {@code prefix}, taken as a folder ({@code key/}: a sibling such as
     * {@code key-other/} stays); returns how many. Never the whole bucket: an empty key is refused.
     */
    public int deleteUnder(S3Location prefix) throws IOException {
        if (prefix.key().isEmpty()) {
            throw new IllegalArgumentException(prefix + ": no key prefix; a whole bucket is never deleted");
        }
        List<String> keys = list(prefix).keySet().stream().map(k -> prefix.prefix() + k).toList();
        for (int from = 0; from < keys.size(); from += DELETE_BATCH) {
            List<ObjectIdentifier> batch = keys.subList(from, Math.min(keys.size(), from + DELETE_BATCH)).stream()
                    .map(k -> ObjectIdentifier.builder().key(k).build()).toList();
            DeleteObjectsResponse r;
            try {
                // quiet: the answer lists only the keys that could not be deleted
                r = s3.deleteObjects(b -> b.bucket(prefix.bucket()).delete(d -> d.objects(batch).quiet(true)));
            } catch (SdkException e) {
                throw S3Errors.of("deleting objects under", new S3Location(prefix.bucket(), prefix.prefix()), e);
            }
            if (r.hasErrors() && !r.errors().isEmpty()) {
                S3Error first = r.errors().get(0);
                throw S3Errors.ofObject("deleting", new S3Location(prefix.bucket(), first.key()), first.code(),
                        first.message() + " (" + r.errors().size() + " of " + batch.size() + " objects in this batch "
                                + "not deleted)");
            }
        }
        return keys.size();
    }

    public void createBucket(String bucket) throws IOException {
        try {
            s3.createBucket(b -> b.bucket(bucket));
        } catch (SdkException e) {
            throw S3Errors.of("creating bucket", S3Location.SCHEME + bucket, e);
        }
    }

    @Override
    public void close() {
        s3.close();
    }

    /** One multipart upload: parts from file slices (re-readable for the SDK's retries), aborted on failure. */
    private record MultipartUpload(S3Client s3, S3Location target, long partSize, boolean noOverwrite) {
        void upload(Path file, long size) throws IOException {
            String id;
            try {
                id = s3.createMultipartUpload(b -> b.bucket(target.bucket()).key(target.key())).uploadId();
            } catch (SdkException e) {
                throw S3Errors.of("starting the upload of " + file + " to", target, e);
            }
            try {
                List<CompletedPart> parts = new ArrayList<>();
                int number = 1;
                for (long off = 0; off < size; off += partSize, number++) {
                    long len = Math.min(partSize, size - off);
                    long from = off;
                    int n = number;
                    String etag = s3.uploadPart(b -> b.bucket(target.bucket()).key(target.key()).uploadId(id)
                                    .partNumber(n).contentLength(len),
                            RequestBody.fromContentProvider(() -> {
                                try {
                                    return new BoundedFileStream(file, from, len);
                                } catch (IOException e) {
                                    throw new UncheckedIOException(e);
                                }
                            }, len, "application/octet-stream")).eTag();
                    parts.add(CompletedPart.builder().partNumber(n).eTag(etag).build());
                }
                s3.completeMultipartUpload(b -> b.bucket(target.bucket()).key(target.key()).uploadId(id)
                        .ifNoneMatch(noOverwrite ? "*" : null).multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()));
            } catch (SdkException | UncheckedIOException e) {
                abortQuietly(id);
                if (e instanceof UncheckedIOException u) {
                    throw u.getCause();
                }
                throw S3Errors.of("uploading " + file + " to", target, (SdkException) e);
            }
        }

        private void abortQuietly(String id) {
            try {
                s3.abortMultipartUpload(b -> b.bucket(target.bucket()).key(target.key()).uploadId(id));
            } catch (SdkException ignored) {
                // the upload failed already; an unfinished upload holds no object and is swept by lifecycle rules
            }
        }
    }
}
