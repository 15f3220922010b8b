package io.pbtnas.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.LocalTime;
import org.junit.jupiter.api.Test;

/** The start is delayed past midnight only when kube-api-test's LocalTime deadline would wrap. */
class MidnightStartTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  @Test
  void startsAtOnceDuringTheDay() {
    assertEquals(Duration.ZERO, TestApiServer.delayBeforeStart(LocalTime.NOON, TIMEOUT));
    assertEquals(Duration.ZERO, TestApiServer.delayBeforeStart(LocalTime.of(23, 57, 0), TIMEOUT));
    assertEquals(Duration.ZERO, TestApiServer.delayBeforeStart(LocalTime.MIDNIGHT, TIMEOUT));
  }

  @Test
  void waitsUntilJustAfterMidnightWhenTheDeadlineWouldWrap() {
    Duration d = TestApiServer.delayBeforeStart(LocalTime.of(23, 59, 0), TIMEOUT);
    assertEquals(Duration.ofSeconds(61), d);
    LocalTime startsAt = LocalTime.of(23, 59, 0).plus(d);
    assertTrue(startsAt.isBefore(LocalTime.of(0, 0, 5)), "starts just after midnight: " + startsAt);
    assertTrue(startsAt.plus(TIMEOUT).isAfter(startsAt), "the deadline no longer wraps");
  }
}
