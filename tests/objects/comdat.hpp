// tests/objects/comdat.hpp: inline functions, a template and an inline class with virtual
// functions, included by comdat_a.cpp and comdat_b.cpp so both objects carry the same COMDAT
// groups (_Z13shared_inlinei, its static local, comdat_box<int>::value, the vtable of
// comdat_base). Loaded together, one copy of each group must be kept and both objects must use it.
#pragma once

#include "firmware.h"

inline int shared_calls;                     // C++17 inline variable: COMDAT data

// Returns x * 1000 + the number of calls so far, counted in a static local (COMDAT data of its own).
inline int shared_inline(int x) noexcept {
  static int local_calls = 0;
  return x * 1000 + ++local_calls;
}

template <class T>
struct comdat_box {
  static T value;
  static T bump(T by) noexcept { return value += by; }
};
template <class T>
T comdat_box<T>::value = T(100);

struct comdat_base {
  virtual ~comdat_base() = default;
  virtual int get() const noexcept { return fw_add(1, 1); }
};
