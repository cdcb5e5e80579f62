package dev.glimpse.image.policy;

import dev.glimpse.image.ImageException;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A policy rule or policy file cannot be used: a syntax error in a rule (the message names the
 * rule and the 1-based character position), a reference cycle between rules, or a policy file
 * that cannot be read or is not a map of rule names to rule strings. Thrown when the policy is
 * built, never while enforcing, so that a broken policy stops a service at start rather than
 * denying or allowing requests at random.
 */
public class InvalidPolicyException extends ImageException {
    private static final long serialVersionUID = 1L;

    private final @Nullable String ruleName;
    private final int position;

    /**
     * Creates the exception.
     *
     * @param message what is wrong, naming the rule, the position and the file where known
     * @param ruleName the rule at fault, or null when the problem concerns the file as a whole
     * @param position the 1-based character position in the rule text, or -1 when not applicable
     */
    public InvalidPolicyException(String message, @Nullable String ruleName, int position) {
        super(message);
        this.ruleName = ruleName;
        this.position = position;
    }

    /** Creates the exception for a file-level problem with its cause. */
    public InvalidPolicyException(String message, Throwable cause) {
        super(message, cause);
        this.ruleName = null;
        this.position = -1;
    }

    /** The rule at fault, if the problem concerns one rule. */
    public Optional<String> ruleName() {
        return Optional.ofNullable(ruleName);
    }

    /** The 1-based character position in the rule text, or -1 when not applicable. */
    public int position() {
        return position;
    }
}
