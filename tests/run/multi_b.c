/* tests/run/multi_b.c: see multi_main.c. */
int multi_b_calls;
int multi_b(int x) {
  ++multi_b_calls;
  return x * x;
}
