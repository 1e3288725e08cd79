#include "app/version.h"

#ifndef IK_VERSION
#define IK_VERSION "0.0.0"
#endif

namespace ik::app {

std::string_view version_string()
{
    return "ik " IK_VERSION;
}

} // namespace ik::app
