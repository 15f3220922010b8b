package io.pbtnas.testkit.kubelet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PathRewriterTest {

  private final PathRewriter rewriter = new PathRewriter(Map.of(
      "/data", "/tmp/pvc/ns/ckpt",
      "/data/cache/", "/tmp/cache",
      "/dev/termination-log", "/tmp/c/termination-log",
      "/", "/never"));

  @Test
  void rewritesWholePathPrefixesOnly() {
    assertEquals("/tmp/pvc/ns/ckpt/members/0", rewriter.rewrite("/data/members/0"));
    assertEquals("--out=/tmp/pvc/ns/ckpt", rewriter.rewrite("--out=/data"));
    assertEquals("a:/tmp/pvc/ns/ckpt/x b", rewriter.rewrite("a:/data/x b"));
    assertEquals("/database", rewriter.rewrite("/database"));
    assertEquals("/srv/data", rewriter.rewrite("/srv/data"));
    assertEquals("x/data", rewriter.rewrite("x/data"));
  }

  @Test
  void longestContainerPathWinsAndReplacementIsNotRescanned() {
    assertEquals("/tmp/cache/f", rewriter.rewrite("/data/cache/f"));
    assertEquals("echo hi > /tmp/c/termination-log; cat '/tmp/pvc/ns/ckpt'",
        rewriter.rewrite("echo hi > /dev/termination-log; cat '/data'"));
  }

  @Test
  void aRootMountRewritesNothing() {
    assertEquals(List.of("/etc/passwd", "/"), rewriter.rewrite(List.of("/etc/passwd", "/")));
  }
}
