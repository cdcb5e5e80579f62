/**
 * The oslo.policy rule language: tokenizer, parser, checks, and the policy-file readers. Not API:
 * reach it through {@link dev.glimpse.image.policy.Policy}.
 */
@NullMarked
package dev.glimpse.image.internal.policy;

import org.jspecify.annotations.NullMarked;
