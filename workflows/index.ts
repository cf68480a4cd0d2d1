/** Pure process definitions (no I/O); the service layer imports them as @cc/workflows. */
export * from './breach-case';
