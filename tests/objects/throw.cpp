// tests/objects/throw.cpp: an extension that throws and catches a C++ exception. It needs the
// C++ runtime (__cxa_allocate_exception, __cxa_throw, typeinfo for int, __cxa_begin_catch,
// __cxa_end_catch, __gxx_personality_v0), which the test firmware does not export: the load must
// fail with an undefined-symbol error that names one of them, never crash.
extern "C" int fw_add(int a, int b);

extern "C" int throw_entry(int x) {
  try {
    if (fw_add(x, 0) > 0) throw x;
    return 0;
  } catch (int v) {
    return v + 1;
  }
}
