/**
 * Access control with oslo.policy-style rules and Glance's default rules: {@link
 * dev.glimpse.image.policy.Policy} (immutable rule set, loaded from a JSON or YAML policy file over
 * the defaults) and {@link dev.glimpse.image.policy.PolicyTargets} (the target maps the rules are
 * checked against).
 */
@NullMarked
package dev.glimpse.image.policy;

import org.jspecify.annotations.NullMarked;
