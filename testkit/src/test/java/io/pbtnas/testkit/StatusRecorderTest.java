package io.pbtnas.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class StatusRecorderTest {

    @Test
    void offUnlessThePropertyOrTheEnvironmentNamesADirectory() {
        Properties none = new Properties();
        assertEquals(Optional.empty(), StatusRecorder.directory(none, Map.of()));
        assertEquals(Optional.of(Path.of("/tmp/e")), StatusRecorder.directory(none, Map.of(StatusRecorder.ENV, "/tmp/e")));
        Properties set = new Properties();
        set.setProperty(StatusRecorder.PROPERTY, "/tmp/p");
        assertEquals(Optional.of(Path.of("/tmp/p")), StatusRecorder.directory(set, Map.of(StatusRecorder.ENV, "/tmp/e")));
    }

    @Test
    void aFailedPullsMessageKeepsPodAndImageButNotTheRegistryOrTheDnsServer() {
        String message = "member 0 (pod s-m0-g0-a0): ErrImagePull: container trainer: failed to pull and unpack image"
                + " \"reg.example.test:5000/pbtnas/x:1\": failed to resolve image: failed to do request: Head"
                + " \"https://reg.example.test:5000/v2/pbtnas/x/manifests/1\": dial tcp: lookup reg.example.test on"
                + " 10.0.0.53:53: no such host";
        assertEquals("member 0 (pod s-m0-g0-a0): ErrImagePull: container trainer: failed to pull and unpack image"
                + " \"<registry>/pbtnas/x:1\": failed to resolve image: failed to do request: Head"
                + " \"https://<registry>/v2/pbtnas/x/manifests/1\": dial tcp: lookup <registry> on"
                + " <dns>:53: no such host", StatusRecorder.redactHosts(message));
        assertEquals("spec is valid; pbtnas.io/finalizer", StatusRecorder.redactHosts("spec is valid; pbtnas.io/finalizer"));
    }
}
