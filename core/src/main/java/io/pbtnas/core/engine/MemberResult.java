package io.pbtnas.core.engine;

/**
 * An observation of one training attempt (member, generation, attempt); score set when SUCCEEDED.
 * startedAt and finishedAt (ISO-8601 instants, null when the driver does not know them) are the
 * attempt's wall-clock times as the driver saw them: data carried into the asynchronous arrival log for
 * the report's timeline, never used in a decision.
 */
public record MemberResult(int member, int generation, int attempt, Outcome outcome, Double score, String message,
                           String startedAt, String finishedAt) {

    public MemberResult(int member, int generation, int attempt, Outcome outcome, Double score, String message) {
        this(member, generation, attempt, outcome, score, message, null, null);
    }

    public static MemberResult succeeded(int member, int generation, int attempt, double score) {
        return new MemberResult(member, generation, attempt, Outcome.SUCCEEDED, score, null);
    }

    public static MemberResult failed(int member, int generation, int attempt, String message) {
        return new MemberResult(member, generation, attempt, Outcome.FAILED, null, message);
    }

    /** The same observation with the attempt's wall-clock times (either may be null). */
    public MemberResult withTimes(String started, String finished) {
        return new MemberResult(member, generation, attempt, outcome, score, message, started, finished);
    }

    public static MemberResult disrupted(int member, int generation, int attempt, String message) {
        return new MemberResult(member, generation, attempt, Outcome.DISRUPTED, null, message);
    }

    public static MemberResult badInput(int member, int generation, int attempt, String message) {
        return new MemberResult(member, generation, attempt, Outcome.BAD_INPUT, null, message);
    }
}
