#include "llm/learned_models.h"

#include <boost/json/serialize.hpp>

#include "core/json.h"
#include "core/state_file.h"

namespace ik::llm {

namespace {

// A file bigger than this is not ours to read.
constexpr size_t max_file_bytes = 1 << 20;
constexpr int64_t max_window = int64_t{ 100 } * 1000 * 1000;

} // namespace

std::string learned_models_path()
{
    return state_file_path("models.json").string();
}

LearnedWindows load_learned(const std::string& path)
{
    LearnedWindows out;
    auto text = read_state_file(path, max_file_bytes);
    if (!text)
        return out;
    mem::Arena arena(mem::root(), "learned-models");
    auto parsed = json::parse(arena, *text, path);
    if (!parsed || !parsed->is_object())
        return out;
    for (const auto& kv : parsed->get_object()) {
        json::Field f(kv.value());
        int64_t window = f["context_window"].integer_or(0);
        if (window > 0 && window <= max_window)
            out.insert_or_assign(std::string(kv.key()), window);
    }
    return out;
}

Result<void> save_learned(const std::string& path, const LearnedWindows& windows)
{
    boost::json::object o;
    for (const auto& [spec, window] : windows)
        o[spec] = boost::json::object{ { "context_window", window } };
    return replace_state_file(path, boost::json::serialize(o) + "\n");
}

} // namespace ik::llm
