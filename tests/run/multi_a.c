/* tests/run/multi_a.c: see multi_main.c. Needs multi_b from another member. */
int multi_b(int);
int multi_a(int x) { return multi_b(x) * 10 + multi_b(x + 1); }
