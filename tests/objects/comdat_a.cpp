// tests/objects/comdat_a.cpp: one half of the COMDAT pair (see comdat.hpp).
#include "comdat.hpp"

using shared_fn = int (*)(int) noexcept;

extern "C" shared_fn comdat_a_shared() noexcept { return &shared_inline; }
extern "C" int comdat_a_call(int x) noexcept { ++shared_calls; return shared_inline(x); }
extern "C" int* comdat_a_counter() noexcept { return &shared_calls; }
extern "C" int comdat_a_box(int by) noexcept { return comdat_box<int>::bump(by); }
extern "C" int* comdat_a_box_addr() noexcept { return &comdat_box<int>::value; }
extern "C" int comdat_a_virtual() noexcept {
  comdat_base b;
  comdat_base const* p = &b;
  return p->get();
}
extern "C" int comdat_b_only_value() noexcept; // defined by comdat_b.cpp: a cross-object import
extern "C" int comdat_a_calls_b() noexcept { return comdat_b_only_value() + 1; }
