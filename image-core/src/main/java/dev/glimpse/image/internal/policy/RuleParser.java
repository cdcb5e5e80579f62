package dev.glimpse.image.internal.policy;

import dev.glimpse.image.policy.InvalidPolicyException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parses one oslo.policy rule string.
 *
 * <p>Grammar (oslo_policy/_parser.py, minus the deprecated list syntax):
 * <pre>
 * rule    := "" | expr
 * expr    := and ("or" and)*
 * and     := not ("and" not)*
 * not     := "not" not | atom
 * atom    := "(" expr ")" | "@" | "!" | kind ":" match
 * </pre>
 * Tokens are separated by whitespace; leading {@code (} and trailing {@code )} are split off each
 * token, as oslo.policy does, so {@code (role:a or role:b)} needs no spaces inside the parentheses.
 * Unlike oslo.policy, which logs an unparseable rule and turns it into "deny", a syntax error here
 * is an {@link InvalidPolicyException} naming the rule and the position: a policy file with a typo
 * should stop the service at start, not silently lock users out.
 */
public final class RuleParser {
    private final String ruleName;
    private final String text;
    private final List<Token> tokens;
    private int next;

    private RuleParser(String ruleName, String text) {
        this.ruleName = ruleName;
        this.text = text;
        this.tokens = tokenize(text);
    }

    /**
     * Parses a rule.
     *
     * @param ruleName the rule's name, for error messages
     * @param text the rule string
     * @throws InvalidPolicyException on a syntax error
     */
    public static Check parse(String ruleName, String text) {
        return new RuleParser(ruleName, text).parseRule();
    }

    private Check parseRule() {
        if (tokens.isEmpty()) {
            return new Check.Always();
        }
        Check check = parseOr();
        if (next < tokens.size()) {
            Token extra = tokens.get(next);
            throw error(extra.position, extra.kind == Kind.CLOSE
                    ? "unbalanced ')'"
                    : "expected 'and', 'or' or the end of the rule, found '" + extra.text + "'");
        }
        return check;
    }

    private Check parseOr() {
        List<Check> operands = new ArrayList<>();
        operands.add(parseAnd());
        while (peek(Kind.OR)) {
            next++;
            operands.add(parseAnd());
        }
        return operands.size() == 1 ? operands.get(0) : new Check.Or(operands);
    }

    private Check parseAnd() {
        List<Check> operands = new ArrayList<>();
        operands.add(parseNot());
        while (peek(Kind.AND)) {
            next++;
            operands.add(parseNot());
        }
        return operands.size() == 1 ? operands.get(0) : new Check.And(operands);
    }

    private Check parseNot() {
        if (peek(Kind.NOT)) {
            next++;
            return new Check.Not(parseNot());
        }
        return parseAtom();
    }

    private Check parseAtom() {
        if (next >= tokens.size()) {
            Token last = tokens.get(tokens.size() - 1);
            throw error(last.position + last.text.length(), "expected a check after '" + last.text + "'");
        }
        Token token = tokens.get(next++);
        switch (token.kind) {
            case OPEN: {
                Check inner = parseOr();
                if (!peek(Kind.CLOSE)) {
                    throw error(token.position, "'(' is never closed");
                }
                next++;
                return inner;
            }
            case CHECK:
                return parseCheck(token);
            default:
                throw error(token.position, "expected a check, found '" + token.text + "'");
        }
    }

    private Check parseCheck(Token token) {
        String word = token.text;
        if (word.equals("@")) {
            return new Check.Always();
        }
        if (word.equals("!")) {
            return new Check.Never();
        }
        int colon = word.indexOf(':');
        if (colon < 0) {
            throw error(token.position, "'" + word + "' is not a check: expected kind:match, '@' or '!'");
        }
        String kind = word.substring(0, colon);
        String match = word.substring(colon + 1);
        if (kind.isEmpty()) {
            throw error(token.position, "check '" + word + "' has nothing before ':'");
        }
        if (match.isEmpty()) {
            throw error(token.position + colon + 1, "check '" + word + "' has nothing after ':'");
        }
        int malformed = Interpolation.firstMalformed(match);
        if (malformed >= 0) {
            throw error(token.position + colon + 1 + malformed,
                    "malformed substitution in '" + word + "': expected %(name)s or %%");
        }
        switch (kind) {
            case "rule":
                return new Check.RuleRef(match);
            case "role":
                return new Check.Role(match);
            case "http":
            case "https":
                // Remote checks would call out to a web service on every request; an embedded
                // library must not do that behind its host's back.
                throw error(token.position, "remote checks ('" + kind + ":') are not supported");
            default:
                return new Check.Generic(kind, match);
        }
    }

    private boolean peek(Kind kind) {
        return next < tokens.size() && tokens.get(next).kind == kind;
    }

    private InvalidPolicyException error(int zeroBasedPosition, String reason) {
        int position = zeroBasedPosition + 1;
        return new InvalidPolicyException("policy rule '" + ruleName + "': " + reason + " at position "
                + position + " in \"" + text + "\"", ruleName, position);
    }

    private enum Kind { OPEN, CLOSE, AND, OR, NOT, CHECK }

    private record Token(Kind kind, String text, int position) {}

    private static List<Token> tokenize(String text) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        int length = text.length();
        while (i < length) {
            if (Character.isWhitespace(text.charAt(i))) {
                i++;
                continue;
            }
            int start = i;
            while (i < length && !Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            int end = i;
            // Leading '(' and trailing ')' are separate tokens (oslo_policy/_parser.py:_parse_tokenize).
            while (start < end && text.charAt(start) == '(') {
                tokens.add(new Token(Kind.OPEN, "(", start));
                start++;
            }
            int closes = 0;
            while (end > start && text.charAt(end - 1) == ')') {
                end--;
                closes++;
            }
            if (start < end) {
                String word = text.substring(start, end);
                Kind kind = switch (word.toLowerCase(Locale.ROOT)) {
                    case "and" -> Kind.AND;
                    case "or" -> Kind.OR;
                    case "not" -> Kind.NOT;
                    default -> Kind.CHECK;
                };
                tokens.add(new Token(kind, word, start));
            }
            for (int c = 0; c < closes; c++) {
                tokens.add(new Token(Kind.CLOSE, ")", end + c));
            }
        }
        return tokens;
    }
}
