#pragma once

#include <string_view>

namespace ik::app {

std::string_view version_string();

} // namespace ik::app
