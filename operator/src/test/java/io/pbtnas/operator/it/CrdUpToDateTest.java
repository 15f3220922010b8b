package io.pbtnas.operator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The committed CRD (what the Helm chart installs and the other tests apply) equals the one QOSDK
 * generates from the Java classes during this build's Quarkus augmentation.
 */
@QuarkusTest
@QuarkusTestResource(value = KubeApiServerResource.class, restrictToAnnotatedClass = false)
class CrdUpToDateTest {
    static final Path GENERATED = Path.of("target", "kubernetes", "pbtnassearches.pbtnas.io-v1.yml");

    @Test
    void committedCrdMatchesTheGeneratedOne() throws Exception {
        assertTrue(Files.isRegularFile(GENERATED), "no generated CRD at " + GENERATED.toAbsolutePath());
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        assertEquals(yaml.readTree(GENERATED.toFile()), yaml.readTree(KubeApiServerResource.CRD.toFile()),
                "crds/pbtnas.io_pbtnassearches.yaml is stale: regenerate it with "
                        + "`./mvnw -pl operator -am package -DskipTests && cp operator/target/kubernetes/"
                        + "pbtnassearches.pbtnas.io-v1.yml crds/pbtnas.io_pbtnassearches.yaml`");
    }
}
