package io.pbtnas.core.safetensors;

import java.io.IOException;

/**
 * A safetensors file that cannot be read or written; the message names the file (a path or an
 * {@code s3://} URL), the tensor and the problem.
 */
public class SafetensorsException extends IOException {

    public SafetensorsException(String message) {
        super(message);
    }

    public SafetensorsException(String message, Throwable cause) {
        super(message, cause);
    }

    static SafetensorsException of(Object file, String problem) {
        return new SafetensorsException(file + ": " + problem);
    }

    static SafetensorsException of(Object file, String problem, Throwable cause) {
        return new SafetensorsException(file + ": " + problem, cause);
    }

    static SafetensorsException of(Object file, String tensor, String problem) {
        return new SafetensorsException(file + ": tensor '" + tensor + "': " + problem);
    }
}
