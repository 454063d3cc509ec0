// version.hpp: the library version; every header opens `namespace extload::inline v0`.
#pragma once

#define EXTLOAD_VERSION_MAJOR 0
#define EXTLOAD_VERSION_MINOR 1
#define EXTLOAD_VERSION_PATCH 0
