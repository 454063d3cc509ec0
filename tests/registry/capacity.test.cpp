// tests/registry/capacity.test.cpp: the registry's storage policies on their own. bit_set (the
// rows of fixed_capacity's N x N dependency matrix) and fixed_capacity's slots are constexpr and
// checked in static_assert and at run time; dynamic_capacity and index_set (host) must behave the
// same way on the same sequence of operations.
#include <doctest/doctest.h>

#include <cstddef>
#include <cstdint>
#include <vector>

#include "extload/registry/capacity.hpp"
#include "extload/registry/host_registry.hpp"

namespace {

using namespace extload;

template <class Set>
constexpr bool set_operations(Set s) {
  // Members on both sides of a word boundary, inserted out of order, one twice.
  if (!s.empty() || s.contains(0)) return false;
  if (!s.insert(65) || !s.insert(3) || !s.insert(64) || !s.insert(63) || s.insert(3)) return false;
  if (s.size() != 4 || !s.contains(63) || !s.contains(64) || s.contains(62) || s.contains(66)) return false;
  std::uint32_t seen[8] = {};
  std::size_t n = 0;
  s.for_each([&](std::uint32_t i) { seen[n++] = i; });
  if (n != 4 || seen[0] != 3 || seen[1] != 63 || seen[2] != 64 || seen[3] != 65) return false;
  s.erase(64);
  s.erase(64); // absent: no effect
  if (s.size() != 3 || s.contains(64)) return false;
  Set copy = s;
  if (!(copy == s)) return false;
  s.clear();
  return s.empty() && !(copy == s) && copy.size() == 3;
}
static_assert(set_operations(bit_set<130>{}));
static_assert(!bit_set<8>{}.contains(200)); // out of range is simply absent
TEST_CASE("capacity: bit_set and index_set are the same set") {
  CHECK(set_operations(bit_set<130>{}));
  CHECK(set_operations(index_set{}));
}

struct probe {
  int value = 0;
};

// Fill, vacate the middle, refill: indices are reused, order() stays load order, vacated slots and
// their dependency rows are reset, and a full fixed storage says so.
template <class Storage>
constexpr bool slot_lifecycle(Storage s, bool fixed_three) {
  std::uint32_t ids[3] = {};
  for (int k = 0; k < 3; ++k) {
    auto f = s.free_slot();
    if (!f) return false;
    ids[k] = *f;
    s.slot(*f).value = 10 + k;
    s.occupy(*f);
  }
  if (s.size() != 3 || s.order().size() != 3 || s.order()[1] != ids[1]) return false;
  s.dependencies(ids[2]).insert(ids[0]);
  s.dependencies(ids[1]).insert(ids[0]);
  if (fixed_three && s.free_slot().code() != errc::limit_exceeded) return false;
  s.vacate(ids[1]);
  if (s.size() != 2 || s.order()[0] != ids[0] || s.order()[1] != ids[2]) return false;
  if (s.slot(ids[1]).value != 0 || !s.dependencies(ids[1]).empty()) return false;
  if (!s.dependencies(ids[2]).contains(ids[0])) return false;
  auto again = s.free_slot();
  if (!again || *again != ids[1]) return false; // the vacated slot is reused
  s.slot(*again).value = 99;
  s.occupy(*again);
  // Load order, not slot order: the reused slot is last.
  return s.order().size() == 3 && s.order()[2] == ids[1] && s.slot(s.order()[2]).value == 99;
}
static_assert(slot_lifecycle(fixed_capacity<3>::storage<probe>{}, true));
static_assert(slot_lifecycle(fixed_capacity<70>::storage<probe>{}, false));
TEST_CASE("capacity: fixed and dynamic storage reuse slots and keep load order") {
  CHECK(slot_lifecycle(fixed_capacity<3>::storage<probe>{}, true));
  CHECK(slot_lifecycle(fixed_capacity<70>::storage<probe>{}, false));
  CHECK(slot_lifecycle(dynamic_capacity::storage<probe>{}, false));
  static_assert(fixed_capacity<3>::storage<probe>{}.capacity() == 3);
}

constexpr bool slot_names() {
  registry_slot<15> s;
  s.name_size = 4;
  s.name[0] = 'b'; s.name[1] = 'a'; s.name[2] = 's'; s.name[3] = 'e';
  s.refs = 2;
  s.dependents = 3;
  return s.name_view() == "base" && s.use_count() == 5 && s.name.size() == 16 && s.name[4] == '\0';
}
static_assert(slot_names());
TEST_CASE("capacity: a registry slot's name view and use count") { CHECK(slot_names()); }

} // namespace
