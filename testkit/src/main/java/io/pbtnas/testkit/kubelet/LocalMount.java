package io.pbtnas.testkit.kubelet;

import java.nio.file.Path;

/** A container's volumeMount as the local process sees it. */
public record LocalMount(String volume, String mountPath, Path localPath, boolean readOnly) {
}
