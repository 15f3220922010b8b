package io.pbtnas.core.safetensors;

import java.io.IOException;
import java.nio.file.Path;

/** A safetensors file that cannot be read or written; the message names the file, the tensor and the problem. */
public class SafetensorsException extends IOException {

    public SafetensorsException(String message) {
        super(message);
    }

    public SafetensorsException(String message, Throwable cause) {
        super(message, cause);
    }

    static SafetensorsException of(Path file, String problem) {
        return new SafetensorsException(file + ": " + problem);
    }

    static SafetensorsException of(Path file, String problem, Throwable cause) {
        return new SafetensorsException(file + ": " + problem, cause);
    }

    static SafetensorsException of(Path file, String tensor, String problem) {
        return new SafetensorsException(file + ": tensor '" + tensor + "': " + problem);
    }
}
