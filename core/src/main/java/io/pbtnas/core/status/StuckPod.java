package io.pbtnas.core.status;

/** A member pod that cannot make progress without someone's help, and why (a fact for condition Stuck). */
public record StuckPod(int member, int generation, int attempt, String pod, String reason, String message) {
    public String describe() {
        return "member " + member + " (pod " + pod + "): " + reason + (message == null || message.isBlank() ? ""
                : ": " + abbreviate(message));
    }

    /** A pod message as the status shows it: one line, at most 300 characters (kubelet messages can be long). */
    public static String abbreviate(String s) {
        String one = s.strip().replace('\n', ' ');
        return one.length() > 300 ? one.substring(0, 300) + "…" : one;
    }
}
