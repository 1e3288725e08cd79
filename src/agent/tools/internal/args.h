// Typed, tool-named access to a call's arguments.
//
// Models get argument shapes wrong in every way JSON allows, so each read
// checks presence and type and fails with a message naming the tool and the
// argument: "read_file: 'offset' must be an integer, got string",
// "edit_file: 'old_string' is required". The message goes back to the model.
//
// Borrows the arguments object; returned string_views point into it.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/json.h"
#include "core/result.h"

namespace ik::agent::internal {

class Args {
public:
    // Fails when `args` is not an object.
    static Result<Args> make(std::string_view tool, const json::value& args);

    Result<std::string_view> required_string(std::string_view key) const;
    // `allow_empty` false: an empty string is an error.
    Result<std::optional<std::string_view>> optional_string(std::string_view key) const;
    Result<int64_t> integer(std::string_view key, int64_t fallback, int64_t min, int64_t max) const;
    Result<bool> boolean(std::string_view key, bool fallback) const;

    std::string_view tool() const { return m_tool; }

private:
    Args(std::string_view tool, const json::object& object)
        : m_tool(tool)
        , m_object(&object)
    {
    }
    const json::value* find(std::string_view key) const;

    std::string_view m_tool;
    const json::object* m_object;
};

} // namespace ik::agent::internal
