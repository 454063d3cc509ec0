/* tests/registry/objects/other.c: a second, independent provider. */
int other_id(void) { return 77; }
