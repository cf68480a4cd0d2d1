/** The servers of a test's own (PostgreSQL cluster, redis-server) are the benchmarks' too: one copy, in scripts/support. */
export * from '../../scripts/support/private-services';
