package dev.glimpse.image.policy;

import dev.glimpse.image.ForbiddenException;
import dev.glimpse.image.RequestContext;
import dev.glimpse.image.internal.policy.Check;
import dev.glimpse.image.internal.policy.Credentials;
import dev.glimpse.image.internal.policy.DefaultRules;
import dev.glimpse.image.internal.policy.PolicyFiles;
import dev.glimpse.image.internal.policy.RuleParser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An immutable set of access rules in the oslo.policy language, with Glance's defaults.
 *
 * <p>Rule language: {@code role:admin}; {@code rule:other_rule}; {@code @} (always) and {@code !}
 * (never); the empty rule (always); {@code and}, {@code or}, {@code not} and parentheses;
 * credential-to-target checks such as {@code project_id:%(owner)s}; literal checks such as
 * {@code 'public':%(visibility)s}; and generic {@code field:value} checks against the caller's
 * credentials ({@code project_id}, {@code user_id}, {@code roles}, {@code is_admin}, e.g.
 * {@code is_admin:True}). A check whose target key or credential is missing is false.
 *
 * <p>Targets are string maps that describe the thing acted on; the image service builds them from
 * an image with the keys Glance's {@code ImageTarget} exposes ({@code project_id} and
 * {@code owner} both being the owner, {@code visibility}, {@code member_id}, {@code image_id},
 * {@code member_status}, extra properties). {@link PolicyTargets} builds the common ones.
 *
 * <p>A policy file overrides rules by name; rules it does not mention keep their defaults. Names
 * that are not Glance rules are kept (other rules may refer to them) and reported in
 * {@link #warnings()} and the log, because they are usually typos that would otherwise silently
 * leave the default in force. Every rule is parsed when the policy is built, so a syntax error or
 * a reference cycle fails at start with {@link InvalidPolicyException}.
 *
 * <p>Instances are immutable and thread-safe; {@link #check} allocates nothing per rule beyond
 * target interpolation.
 */
public final class Policy {
    private static final Logger LOG = LoggerFactory.getLogger(Policy.class);
    private static final Policy DEFAULTS = new Policy(DefaultRules.rules(), List.of());

    private final Map<String, String> ruleTexts;
    private final Map<String, Check> rules;
    private final List<String> warnings;

    private Policy(Map<String, String> ruleTexts, List<String> warnings) {
        Map<String, Check> parsed = new HashMap<>();
        for (Map.Entry<String, String> rule : ruleTexts.entrySet()) {
            parsed.put(rule.getKey(), RuleParser.parse(rule.getKey(), rule.getValue()));
        }
        List<String> allWarnings = new ArrayList<>(warnings);
        checkReferences(parsed, allWarnings);
        this.ruleTexts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(ruleTexts));
        this.rules = Map.copyOf(parsed);
        this.warnings = List.copyOf(allWarnings);
    }

    /** Glance's default rules (see glance/policies/*.py). */
    public static Policy defaults() {
        return DEFAULTS;
    }

    /**
     * Loads a policy file (JSON object or YAML mapping of rule names to rule strings) over the
     * defaults. Unknown rule names are reported as warnings.
     *
     * @throws InvalidPolicyException if the file cannot be read, is not a map of strings, or a
     *     rule does not parse
     */
    public static Policy load(Path file) {
        Objects.requireNonNull(file, "file");
        Map<String, String> overrides = PolicyFiles.read(file);
        return DEFAULTS.withRules(overrides, file.toString());
    }

    /**
     * Returns a policy with these rules replacing or adding to this policy's rules.
     *
     * @throws InvalidPolicyException if a rule does not parse or the rules refer to each other in a cycle
     */
    public Policy withRules(Map<String, String> overrides) {
        return withRules(overrides, "overrides");
    }

    private Policy withRules(Map<String, String> overrides, String source) {
        Objects.requireNonNull(overrides, "overrides");
        Map<String, String> merged = new LinkedHashMap<>(ruleTexts);
        List<String> newWarnings = new ArrayList<>(warnings);
        for (Map.Entry<String, String> override : overrides.entrySet()) {
            String name = Objects.requireNonNull(override.getKey(), "rule name");
            String text = Objects.requireNonNull(override.getValue(), () -> "rule text of " + name);
            if (name.isBlank()) {
                throw new InvalidPolicyException(source + ": a rule name may not be blank", name, -1);
            }
            if (!DefaultRules.rules().containsKey(name)) {
                String warning = source + ": '" + name + "' is not a Glance policy rule;"
                        + " it is kept for references from other rules but no action uses it directly";
                LOG.warn(warning);
                newWarnings.add(warning);
            }
            merged.put(name, text);
        }
        return new Policy(merged, newWarnings);
    }

    /**
     * Whether the rule for {@code action} allows the caller to act on the target.
     *
     * @param action a rule name such as {@code get_image}
     * @param context the caller
     * @param target what is acted on (see the class comment for the keys)
     * @throws IllegalArgumentException if no rule of that name exists: an unknown action is a
     *     programming error, and falling back to the permissive {@code default} rule, as oslo.policy
     *     does, would turn a typo into an open door
     */
    public boolean check(String action, RequestContext context, Map<String, String> target) {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(target, "target");
        Check rule = rules.get(action);
        if (rule == null) {
            throw new IllegalArgumentException("no policy rule named '" + action + "'");
        }
        return rule.evaluate(new Evaluation(Credentials.of(context), target));
    }

    /**
     * Like {@link #check} but throws when the rule denies.
     *
     * @throws ForbiddenException if the rule denies; the message names the action and the caller
     */
    public void enforce(String action, RequestContext context, Map<String, String> target) {
        if (!check(action, context, target)) {
            throw new ForbiddenException("policy does not allow '" + action + "' for project "
                    + context.projectId() + " (user " + context.userId() + ", roles " + context.roles() + ")");
        }
    }

    /** The rule text of every rule, by name: defaults merged with overrides. Unmodifiable. */
    public Map<String, String> rules() {
        return ruleTexts;
    }

    /** The names of Glance's rules, which every policy defines. */
    public static Set<String> defaultRuleNames() {
        return DefaultRules.rules().keySet();
    }

    /**
     * Problems that did not stop the policy from loading: rule names that are not Glance rules,
     * references to rules that do not exist (which always deny). Also logged at WARN.
     */
    public List<String> warnings() {
        return warnings;
    }

    @Override
    public String toString() {
        return "Policy{" + ruleTexts.size() + " rules, " + warnings.size() + " warnings}";
    }

    private static void checkReferences(Map<String, Check> rules, List<String> warnings) {
        // Depth-first search over rule references: a cycle would recurse forever while enforcing.
        Map<String, Integer> state = new HashMap<>();
        for (String name : rules.keySet()) {
            visit(name, rules, state, new ArrayList<>(), warnings);
        }
    }

    private static void visit(String name, Map<String, Check> rules, Map<String, Integer> state,
            List<String> path, List<String> warnings) {
        Integer s = state.get(name);
        if (s != null && s == 2) {
            return;
        }
        path.add(name);
        if (s != null && s == 1) {
            throw new InvalidPolicyException("policy rules refer to each other in a cycle: "
                    + String.join(" -> ", path), name, -1);
        }
        state.put(name, 1);
        for (String ref : references(rules.get(name))) {
            if (!rules.containsKey(ref)) {
                String warning = "rule '" + name + "' refers to undefined rule '" + ref + "', which always denies";
                if (!warnings.contains(warning)) {
                    LOG.warn(warning);
                    warnings.add(warning);
                }
                continue;
            }
            visit(ref, rules, state, path, warnings);
        }
        state.put(name, 2);
        path.remove(path.size() - 1);
    }

    private static List<String> references(Check check) {
        List<String> out = new ArrayList<>();
        collect(check, out);
        return out;
    }

    private static void collect(Check check, List<String> out) {
        if (check instanceof Check.RuleRef ref) {
            out.add(ref.name());
        } else if (check instanceof Check.Not not) {
            collect(not.operand(), out);
        } else if (check instanceof Check.And and) {
            and.operands().forEach(c -> collect(c, out));
        } else if (check instanceof Check.Or or) {
            or.operands().forEach(c -> collect(c, out));
        }
    }

    private final class Evaluation implements Check.Evaluation {
        private final Credentials credentials;
        private final Map<String, String> target;

        Evaluation(Credentials credentials, Map<String, String> target) {
            this.credentials = credentials;
            this.target = target;
        }

        @Override
        public Credentials credentials() {
            return credentials;
        }

        @Override
        public Map<String, String> target() {
            return target;
        }

        @Override
        public boolean evaluateRule(String name) {
            Check rule = rules.get(name);
            return rule != null && rule.evaluate(this);
        }
    }
}
