package dev.glimpse.image.internal.policy;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One node of a parsed rule. Evaluation never throws for missing data: a target key or credential
 * that is absent makes the check false, as in oslo.policy, so a rule can never grant access by
 * accident of a missing value.
 */
public sealed interface Check {

    /** Evaluates this check. */
    boolean evaluate(Evaluation evaluation);

    /** Renders the check back to rule text (normalised), for messages and tests. */
    String render();

    /** {@code @} or the empty rule: always true. */
    record Always() implements Check {
        @Override
        public boolean evaluate(Evaluation evaluation) {
            return true;
        }

        @Override
        public String render() {
            return "@";
        }
    }

    /** {@code !}: always false. */
    record Never() implements Check {
        @Override
        public boolean evaluate(Evaluation evaluation) {
            return false;
        }

        @Override
        public String render() {
            return "!";
        }
    }

    /** {@code not X}. */
    record Not(Check operand) implements Check {
        @Override
        public boolean evaluate(Evaluation evaluation) {
            return !operand.evaluate(evaluation);
        }

        @Override
        public String render() {
            return "not " + operand.render();
        }
    }

    /** {@code A and B and ...}; short-circuits. */
    record And(List<Check> operands) implements Check {
        public And {
            operands = List.copyOf(operands);
        }

        @Override
        public boolean evaluate(Evaluation evaluation) {
            for (Check operand : operands) {
                if (!operand.evaluate(evaluation)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public String render() {
            return "(" + String.join(" and ", operands.stream().map(Check::render).toList()) + ")";
        }
    }

    /** {@code A or B or ...}; short-circuits. */
    record Or(List<Check> operands) implements Check {
        public Or {
            operands = List.copyOf(operands);
        }

        @Override
        public boolean evaluate(Evaluation evaluation) {
            for (Check operand : operands) {
                if (operand.evaluate(evaluation)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public String render() {
            return "(" + String.join(" or ", operands.stream().map(Check::render).toList()) + ")";
        }
    }

    /** {@code rule:name}: the named rule; an undefined rule is false (oslo.policy logs and denies). */
    record RuleRef(String name) implements Check {
        @Override
        public boolean evaluate(Evaluation evaluation) {
            return evaluation.evaluateRule(name);
        }

        @Override
        public String render() {
            return "rule:" + name;
        }
    }

    /** {@code role:name}, case-insensitive; the role may be taken from the target ({@code role:%(x)s}). */
    record Role(String match) implements Check {
        @Override
        public boolean evaluate(Evaluation evaluation) {
            String role = Interpolation.apply(match, evaluation.target());
            return role != null && evaluation.credentials().roles().contains(role.toLowerCase(Locale.ROOT));
        }

        @Override
        public String render() {
            return "role:" + match;
        }
    }

    /**
     * {@code kind:match}. The match is interpolated from the target ({@code %(owner)s}); the kind is
     * either a literal ({@code 'public'}, {@code True}, {@code 42}), compared with the match, or a
     * dotted credential path ({@code project_id}, {@code is_admin}) whose value, or any element of
     * it when it is a list, must equal the match.
     */
    record Generic(String kind, String match) implements Check {
        @Override
        public boolean evaluate(Evaluation evaluation) {
            String expected = Interpolation.apply(match, evaluation.target());
            if (expected == null) {
                return false;
            }
            String literal = Literals.literalValue(kind);
            if (literal != null) {
                return expected.equals(literal);
            }
            Object value = evaluation.credentials().lookup(kind);
            if (value instanceof List<?> list) {
                for (Object element : list) {
                    if (expected.equals(String.valueOf(element))) {
                        return true;
                    }
                }
                return false;
            }
            return value != null && expected.equals(Literals.pythonString(value));
        }

        @Override
        public String render() {
            return kind + ":" + match;
        }
    }

    /** What a check is evaluated against: credentials, target, and the rule set for references. */
    interface Evaluation {
        /** The caller's credentials. */
        Credentials credentials();

        /** The target of the action. */
        Map<String, String> target();

        /** Evaluates the named rule; false when it is not defined. */
        boolean evaluateRule(String name);
    }
}
