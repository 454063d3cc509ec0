// tests/run/cxx_exceptions.cpp: exceptions thrown and caught inside the loaded program (needs
// its .eh_frame registered with the unwinder), through several frames, with destructors run
// during unwinding, standard exceptions thrown by libstdc++ itself, rethrow, and catch(...).
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

struct guard {
  std::string name;
  explicit guard(std::string n) : name(std::move(n)) {}
  ~guard() { std::cout << "  unwound " << name << '\n'; }
};

struct my_error : std::runtime_error {
  int code;
  my_error(std::string const& what, int c) : std::runtime_error(what), code(c) {}
};

static int thrower(int depth) {
  guard g{"frame " + std::to_string(depth)};
  if (depth == 0) throw my_error("custom", 7);
  return thrower(depth - 1) + 1;
}

int main() {
  try {
    thrower(3);
  } catch (my_error const& e) {
    std::cout << "caught my_error " << e.what() << " code " << e.code << '\n';
  }
  try {
    std::vector<int> v(3);
    std::cout << v.at(10) << '\n';
  } catch (std::out_of_range const&) {
    std::cout << "caught out_of_range from libstdc++\n";
  }
  try {
    try {
      throw 42;
    } catch (int x) {
      std::cout << "caught int " << x << ", rethrowing\n";
      throw;
    }
  } catch (...) {
    std::cout << "caught rethrown exception\n";
  }
  try {
    throw std::string("a string");
  } catch (std::string const& s) {
    std::cout << "caught std::string " << s << '\n';
  }
  return 3;
}
