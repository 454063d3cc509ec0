// tests/main.cpp: the doctest runner, compiled once (the doctest main TU is slow to build).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
