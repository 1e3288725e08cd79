#include "llm/learned_models.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <boost/json/serialize.hpp>
#include <unistd.h>

#include "core/json.h"

namespace ik::llm {

namespace {

// A file bigger than this is not ours to read.
constexpr std::streamsize max_file_bytes = 1 << 20;
constexpr int64_t max_window = int64_t{ 100 } * 1000 * 1000;

} // namespace

std::string learned_models_path()
{
    const char* xdg = std::getenv("XDG_STATE_HOME");
    if (xdg && *xdg == '/')
        return std::string(xdg) + "/ik/models.json";
    const char* home = std::getenv("HOME");
    return std::string(home && *home ? home : ".") + "/.local/state/ik/models.json";
}

LearnedWindows load_learned(const std::string& path)
{
    LearnedWindows out;
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return out;
    std::string text(static_cast<size_t>(max_file_bytes) + 1, '\0');
    in.read(text.data(), max_file_bytes + 1);
    if (in.gcount() > max_file_bytes)
        return out;
    text.resize(static_cast<size_t>(in.gcount()));
    mem::Arena arena(mem::root(), "learned-models");
    auto parsed = json::parse(arena, text, path);
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
    std::error_code ec;
    std::filesystem::path p(path);
    std::filesystem::create_directories(p.parent_path(), ec);
    if (ec)
        return fail(ErrorCode::io, "cannot create {}: {}", p.parent_path().string(), ec.message());
    boost::json::object o;
    for (const auto& [spec, window] : windows)
        o[spec] = boost::json::object{ { "context_window", window } };
    std::string text = boost::json::serialize(o) + "\n";
    std::string tmp = fmt::format("{}.{}.tmp", path, ::getpid());
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out << text;
        out.flush();
        if (!out)
            return fail(ErrorCode::io, "cannot write {}", tmp);
    }
    std::filesystem::rename(tmp, p, ec);
    if (ec) {
        std::filesystem::remove(tmp, ec);
        return fail(ErrorCode::io, "cannot replace {}", path);
    }
    return {};
}

} // namespace ik::llm
