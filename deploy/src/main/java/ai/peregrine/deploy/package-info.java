/**
 * Peregrine deploy module. See docs/ARCHITECTURE.md for its role; its code arrives with its own issue.
 */
package ai.peregrine.deploy;
