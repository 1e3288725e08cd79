// Boost.JSON compiled into ik itself (its header-only mode) instead of linking
// libboost_json.so: one shared library fewer to load at start-up.
#include <boost/json/src.hpp>
