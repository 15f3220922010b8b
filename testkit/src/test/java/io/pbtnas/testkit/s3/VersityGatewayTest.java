package io.pbtnas.testkit.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real gateway starts, speaks S3 (an unsigned request is refused the S3 way), stops and starts again. */
@WithS3Server
class VersityGatewayTest {

  private static HttpResponse<String> unsignedList(S3Endpoint e) throws IOException, InterruptedException {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(e.url().resolve("/")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void answersAsAnS3ServerAndRefusesUnsignedRequests(S3Endpoint endpoint) throws Exception {
    HttpResponse<String> r = unsignedList(endpoint);
    assertEquals(403, r.statusCode(), r.body());
    assertTrue(r.body().contains("<Code>AccessDenied</Code>"), r.body());
    assertEquals(Map.of("AWS_ENDPOINT_URL", endpoint.url().toString(), "AWS_ACCESS_KEY_ID", endpoint.accessKeyId(),
        "AWS_SECRET_ACCESS_KEY", endpoint.secretAccessKey(), "AWS_REGION", "us-east-1"), endpoint.awsEnvironment());
  }

  @Test
  void stopsAndStartsAgainOnTheSamePort(VersityGateway gateway) throws Exception {
    gateway.stop();
    assertThrows(ConnectException.class, () -> unsignedList(gateway.endpoint()));
    gateway.start();
    assertEquals(403, unsignedList(gateway.endpoint()).statusCode());
  }

  @Test
  void startsUnderAGivenFolderAndDeletesOnlyItsOwnWhenClosed(@TempDir Path parent) throws Exception {
    Path keep = Files.writeString(parent.resolve("keep.txt"), "not the gateway's");
    try (VersityGateway g = VersityGateway.startUnder(parent)) {
      assertTrue(g.bucketDir("b").startsWith(parent), g.bucketDir("b").toString());
      assertEquals(403, unsignedList(g.endpoint()).statusCode());
      assertTrue(g.pid() > 0, "a running gateway has a process id");
      g.stop();
      assertEquals(-1, g.pid());
    }
    try (Stream<Path> left = Files.list(parent)) {
      assertEquals(List.of(keep), left.toList());
    }
    IOException missing = assertThrows(IOException.class, () -> VersityGateway.startUnder(parent.resolve("nope")));
    assertTrue(missing.getMessage().contains(parent.resolve("nope") + " is not a directory"), missing.getMessage());
  }

  @Test
  void aMissingBinaryNamesTheBuildScript() {
    Properties props = new Properties();
    props.setProperty("user.home", "/nonexistent-home");
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> VersityGateway.binary(props, Map.of(), "1.8.0"));
    assertTrue(e.getMessage().contains("run test-env/build.sh first"), e.getMessage());
    assertTrue(e.getMessage().contains(Path.of("/nonexistent-home/.cache/pbtnas/versitygw/v1.8.0/versitygw").toString()),
        e.getMessage());
  }
}
