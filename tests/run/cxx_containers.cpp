// tests/run/cxx_containers.cpp: the C++ runtime resolved against the host's libstdc++: iostream,
// std::string, std::vector, std::map, algorithms, lambdas, a global object with a constructor and
// destructor, a function-local static, virtual calls.
#include <algorithm>
#include <iostream>
#include <map>
#include <memory>
#include <numeric>
#include <sstream>
#include <string>
#include <vector>

struct announcer {
  announcer() { std::cout << "global constructor\n"; }
  ~announcer() { std::cout << "global destructor\n"; }
} the_announcer;

struct shape {
  virtual ~shape() = default;
  virtual double area() const = 0;
  virtual std::string name() const = 0;
};
struct square : shape {
  double s;
  explicit square(double v) : s(v) {}
  double area() const override { return s * s; }
  std::string name() const override { return "square"; }
};
struct circle : shape {
  double r;
  explicit circle(double v) : r(v) {}
  double area() const override { return 3.0 * r * r; }
  std::string name() const override { return "circle"; }
};

static std::string const& greeting() {
  static std::string const g = "function-local static";
  return g;
}

int main(int argc, char** argv) {
  std::vector<std::string> words;
  for (int i = 1; i < argc; ++i) words.emplace_back(argv[i]);
  for (char const* w : {"delta", "alpha", "charlie", "bravo"}) words.emplace_back(w);
  std::sort(words.begin(), words.end());
  std::map<std::string, std::size_t> lengths;
  for (auto const& w : words) lengths[w] = w.size();
  std::ostringstream out;
  for (auto const& [w, n] : lengths) out << w << '=' << n << ' ';
  std::cout << out.str() << '\n';
  std::vector<int> v(20);
  std::iota(v.begin(), v.end(), 1);
  auto const evens = std::count_if(v.begin(), v.end(), [](int x) { return x % 2 == 0; });
  std::cout << "sum " << std::accumulate(v.begin(), v.end(), 0) << ", evens " << evens << '\n';
  std::vector<std::unique_ptr<shape>> shapes;
  shapes.push_back(std::make_unique<square>(2.0));
  shapes.push_back(std::make_unique<circle>(1.5));
  for (auto const& s : shapes) std::cout << s->name() << ' ' << s->area() << '\n';
  std::cout << greeting() << std::endl;
  return static_cast<int>(words.size());
}
