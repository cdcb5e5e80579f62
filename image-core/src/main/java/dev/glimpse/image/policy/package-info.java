/**
 * Access control with oslo.policy-style rules and Glance's default rules.
 */
@NullMarked
package dev.glimpse.image.policy;

import org.jspecify.annotations.NullMarked;
