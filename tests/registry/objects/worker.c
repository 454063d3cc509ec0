/* tests/registry/objects/worker.c: self-contained (no imports, no constructors), loaded over and
 * over by the threads of the std_mutex_lock smoke test. */
int worker_calc(int x) { return 3 * x + 1; }
