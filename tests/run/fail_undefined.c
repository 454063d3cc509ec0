/* tests/run/fail_undefined.c: a function no FILE defines and the process does not have. */
int extload_run_test_missing_function(int);
int main(void) { return extload_run_test_missing_function(2); }
