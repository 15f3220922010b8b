package io.pbtnas.core.safetensors;

/** Whether a {@link SafetensorsWriter}'s commit makes the file durable before it gets its name. */
public enum Durability {
    /** fsync the file before publishing it and the directory after: what every checkpoint needs. */
    FSYNC,
    /**
     * Publish straight from the page cache, never forcing anything to disk: a crash may lose the
     * file or leave it short. Only for output that is thrown away, such as a benchmark's.
     */
    PAGE_CACHE
}
