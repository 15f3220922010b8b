package io.pbtnas.testkit.kubelet;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a container's termination message with the kubelet's limits. */
final class TerminationMessage {

  static final int MAX_FILE_BYTES = 4096;
  static final int MAX_LOG_BYTES = 2048;
  static final int MAX_LOG_LINES = 80;

  private TerminationMessage() {
  }

  /**
   * The message file's first 4096 bytes; when it is empty, the policy is FallbackToLogsOnError and
   * the container failed, the log's last 80 lines capped at 2048 bytes.
   */
  static String read(Path messageFile, Path logFile, String policy, int exitCode) {
    String fromFile = head(messageFile, MAX_FILE_BYTES);
    if (!fromFile.isEmpty() || exitCode == 0 || !"FallbackToLogsOnError".equals(policy)) {
      return fromFile;
    }
    String tail = tail(logFile, MAX_LOG_BYTES);
    String[] lines = tail.split("\n", -1);
    int from = Math.max(0, lines.length - MAX_LOG_LINES - (tail.endsWith("\n") ? 1 : 0));
    return String.join("\n", java.util.Arrays.copyOfRange(lines, from, lines.length));
  }

  private static String head(Path file, int max) {
    if (!Files.isRegularFile(file)) {
      return "";
    }
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      byte[] buf = new byte[(int) Math.min(max, f.length())];
      f.readFully(buf);
      return new String(buf, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  private static String tail(Path file, int max) {
    if (!Files.isRegularFile(file)) {
      return "";
    }
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      long len = f.length();
      byte[] buf = new byte[(int) Math.min(max, len)];
      f.seek(len - buf.length);
      f.readFully(buf);
      return new String(buf, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
