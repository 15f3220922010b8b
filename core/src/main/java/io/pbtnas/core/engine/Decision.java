package io.pbtnas.core.engine;

import io.pbtnas.core.model.SearchStatus;
import java.util.List;

/** The engine's answer: the new status and the actions to (re-)issue. */
public record Decision(SearchStatus status, List<Action> actions) {
    public Decision {
        actions = List.copyOf(actions);
    }
}
