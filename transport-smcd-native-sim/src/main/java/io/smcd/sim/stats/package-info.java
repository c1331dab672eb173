/**
 * Live statistics of smcd processes in shared memory, after AeronStat's counters file and {@code smcss}: each process
 * publishes one file in its domain ({@link io.smcd.sim.stats.StatsDescriptor}) with its counters and a table of its
 * connections; any process of the same user reads them without disturbing a connection.
 */
package io.smcd.sim.stats;
