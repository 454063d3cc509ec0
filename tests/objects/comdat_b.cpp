// tests/objects/comdat_b.cpp: the other half of the COMDAT pair (see comdat.hpp).
#include "comdat.hpp"

using shared_fn = int (*)(int) noexcept;

extern "C" shared_fn comdat_b_shared() noexcept { return &shared_inline; }
extern "C" int comdat_b_call(int x) noexcept { ++shared_calls; return shared_inline(x); }
extern "C" int* comdat_b_counter() noexcept { return &shared_calls; }
extern "C" int comdat_b_box(int by) noexcept { return comdat_box<int>::bump(by); }
extern "C" int* comdat_b_box_addr() noexcept { return &comdat_box<int>::value; }
extern "C" int comdat_b_only_value() noexcept { return 41; }
