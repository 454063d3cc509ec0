// shapes.cpp: C++ in an extension: virtual calls through vtables in .data.rel.ro, a static
// object with a constructor (run by bring_up through .init_array), and inline functions that
// land in COMDAT groups.
extern "C" void fw_print_int(const char* label, long value);

namespace {
struct shape { // no virtual destructor: nothing is deleted through a base pointer,
               // and a deleting destructor would import operator delete

    virtual long area() const = 0;
};
struct square final : shape {
    explicit square(long s) : side(s) {}
    long area() const override { return side * side; }
    long side;
};
struct rect final : shape {
    rect(long w, long h) : w(w), h(h) {}
    long area() const override { return w * h; }
    long w, h;
};
struct registry {
    registry() : count(3) { fw_print_int("shapes: static constructor, shapes", count); }
    long count;
};
registry the_registry;
} // namespace

template <class T> inline long twice(T const& s) { return 2 * s.area(); }

extern "C" long shapes_total_area()
{
    square a{3};
    rect b{4, 5};
    square c{6};
    shape const* all[] = {&a, &b, &c};
    long total = 0;
    for (shape const* s : all) total += s->area();
    return total + twice(a) - twice(a) + the_registry.count - 3;
}
