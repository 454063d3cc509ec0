// tests/objects/cxx.cpp: C++ in an extension. Virtual calls through a class hierarchy (vtables
// and, with RTTI, typeinfo objects that point at libsupc++'s __class_type_info vtables), a
// virtual destructor (deleting destructor -> sized operator delete), operator new, a static
// object with a constructor (an .init_array entry) and a destructor (registered through
// __cxa_atexit with &__dso_handle), a function-local static (guard variable,
// __cxa_guard_acquire/release), and templates / inline functions emitted into COMDAT groups.
// Compiled with exceptions enabled: nothing here throws, and everything called from a
// constructor is noexcept, so no landing pads (and no _Unwind_Resume) are needed.
#include "firmware.h"

namespace {

struct shape {
  virtual ~shape() = default;
  virtual int area() const noexcept = 0;
  virtual int id() const noexcept { return 1; }
};

struct rect : shape {
  int w, h;
  rect(int w_, int h_) noexcept : w(w_), h(h_) {}
  int area() const noexcept override { return w * h; }
  int id() const noexcept override { return 2; }
};

struct square final : rect {
  explicit square(int s) noexcept : rect(s, s) {}
  int id() const noexcept override { return 3; }
  ~square() override { fw_log(300); }
};

struct tracker {
  int value;
  explicit tracker(int v) noexcept : value(fw_add(v, 2)) { fw_log(1000 + v); }
  ~tracker() { fw_log(-1000 - value); }
};

tracker global_tracker{40}; // dynamic initialisation: fw_add runs in the constructor

template <class T>
T twice(T x) noexcept { return x + x; }

} // namespace

inline int cxx_inline_counter() noexcept {
  static int calls = 0; // a COMDAT object of its own
  return ++calls;
}

extern "C" int cxx_tracker_value() noexcept { return global_tracker.value; }

// n shapes, alternating rect(i, i + 1) and square(i); returns sum of area * id; deletes them
// through the base (virtual destructor).
extern "C" int cxx_shapes(int n) { // not noexcept: operator new may throw, and a noexcept
                                      // caller would need a terminate landing pad
  shape* shapes[16] = {};
  if (n > 16) n = 16;
  for (int i = 0; i < n; ++i) {
    if (i % 2 == 0) shapes[i] = new rect(i, i + 1);
    else shapes[i] = new square(i);
  }
  int s = 0;
  for (int i = 0; i < n; ++i) s += shapes[i]->area() * shapes[i]->id();
  for (int i = 0; i < n; ++i) delete shapes[i];
  return s;
}

extern "C" int cxx_local_static(int v) noexcept {
  static tracker local{v}; // guarded: constructed once, by the first call
  return local.value;
}

extern "C" long cxx_templates(long x) noexcept {
  return twice(x) + twice<int>(static_cast<int>(x)) + cxx_inline_counter();
}
