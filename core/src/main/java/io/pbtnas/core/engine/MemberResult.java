package io.pbtnas.core.engine;

/** An observation of one training attempt (member, generation, attempt); score set when SUCCEEDED. */
public record MemberResult(int member, int generation, int attempt, Outcome outcome, Double score, String message) {

    public static MemberResult succeeded(int member, int generation, int attempt, double score) {
        return new MemberResult(member, generation, attempt, Outcome.SUCCEEDED, score, null);
    }

    public static MemberResult failed(int member, int generation, int attempt, String message) {
        return new MemberResult(member, generation, attempt, Outcome.FAILED, null, message);
    }

    public static MemberResult disrupted(int member, int generation, int attempt, String message) {
        return new MemberResult(member, generation, attempt, Outcome.DISRUPTED, null, message);
    }

    public static MemberResult badInput(int member, int generation, int attempt, String message) {
        return new MemberResult(member, generation, attempt, Outcome.BAD_INPUT, null, message);
    }
}
