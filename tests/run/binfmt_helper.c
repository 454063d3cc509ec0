/* tests/run/binfmt_helper.c: see binfmt_main.c. */
int binfmt_helper(int x) { return 100 * x; }
