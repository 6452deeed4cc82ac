/**
 * The Git policy repository: reads files at any commit without a checkout, numbers scope versions on the served
 * branch's first-parent line, and writes change sets as compare-and-swap commits (see {@link
 * dev.gavel.store.git.GitPolicyRepository}). Knows repo-relative paths and bytes, nothing of policies' content.
 */
package dev.gavel.store.git;
