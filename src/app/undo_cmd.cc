#include "app/undo_cmd.h"

#include <ctime>
#include <filesystem>

#include <fmt/format.h>

#include "app/exit_codes.h"
#include "app/setup.h"
#include "tui/visible.h"

namespace ik::app {

namespace {

Result<std::string> target_session(store::Store& store, const CliOptions& options)
{
    if (!options.undo_session.empty())
        return TRY(store.resolve_id(options.undo_session));
    mem::Arena scratch(mem::root(), "undo");
    std::string cwd = std::filesystem::current_path().string();
    auto latest = TRY(store.latest_session(scratch, cwd));
    if (!latest)
        return fail(ErrorCode::not_found, "no session in {} to undo (name one with --session ID)", cwd);
    return std::string(latest->id);
}

int code_for(const Error& e)
{
    switch (e.code()) {
    case ErrorCode::not_found:
        return exit_nothing;
    case ErrorCode::denied:
        return exit_refused;
    case ErrorCode::invalid_argument:
        return exit_usage;
    case ErrorCode::store:
        return exit_store;
    default:
        return exit_internal;
    }
}

} // namespace

std::string human_bytes(uint64_t bytes)
{
    if (bytes < 1024)
        return fmt::format("{} B", bytes);
    const char* units[] = { "KB", "MB", "GB", "TB" };
    double v = static_cast<double>(bytes) / 1024;
    size_t u = 0;
    while (v >= 1024 && u + 1 < std::size(units)) {
        v /= 1024;
        ++u;
    }
    return v < 100 ? fmt::format("{:.1f} {}", v, units[u]) : fmt::format("{:.0f} {}", v, units[u]);
}

std::string undo_done_text(const agent::Undo& undo, size_t files)
{
    std::string names;
    size_t shown = 0;
    for (const checkpoint::ChangedFile& f : undo.files()) {
        if (++shown > 10) {
            names += fmt::format(", and {} more", undo.files().size() - 10);
            break;
        }
        names += fmt::format("{}{} {}", names.empty() ? "" : ", ", static_cast<char>(f.change), f.path);
    }
    return fmt::format(
        "Undid \"{}\": {} file{} restored ({}).", undo.entry().prompt, files, files == 1 ? "" : "s", names);
}

std::string conflict_list(const agent::Undo& undo)
{
    std::string names;
    size_t shown = 0;
    for (std::string_view c : undo.conflicts()) {
        if (++shown > 10) {
            names += fmt::format(", and {} more", undo.conflicts().size() - 10);
            break;
        }
        names += fmt::format("{}{}", names.empty() ? "" : ", ", c);
    }
    return names;
}

std::string checkpoints_text(std::span<const agent::CheckpointEntry> entries)
{
    std::string out;
    for (const agent::CheckpointEntry& e : entries) {
        auto t = static_cast<std::time_t>(e.time / 1000);
        std::tm tm{};
        localtime_r(&t, &tm);
        char when[32] = {};
        std::strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
        std::string files;
        for (size_t i = 0; i < e.files.size() && i < 4; ++i)
            files += fmt::format("{}{}", files.empty() ? "" : ", ", e.files[i]);
        if (e.files_total > 4)
            files += fmt::format(", +{}", e.files_total - 4);
        out += fmt::format("{}  {:>3} file{}  {}{}\n    {}\n", when, e.files_total, e.files_total == 1 ? " " : "s",
            e.undone ? "(undone) " : "", e.prompt, files);
    }
    return out;
}

int run_undo_command(const CliOptions& options)
{
    auto cfg = config::load(config::process_environment());
    if (!cfg) {
        tui::print_visible(stderr, "ik: {}\n", cfg.error().to_string());
        return exit_config;
    }
    auto store = open_configured_store(*cfg);
    if (!store) {
        tui::print_visible(stderr, "ik: {}\n", store.error().to_string());
        return store.error().code() == ErrorCode::invalid_argument ? exit_config : exit_store;
    }
    auto id = target_session(**store, options);
    if (!id) {
        tui::print_visible(stderr, "ik: {}\n", id.error().to_string());
        return code_for(id.error());
    }
    // A session another live ik is writing is that process's to undo.
    if (auto claimed = (*store)->claim_session(*id); !claimed) {
        tui::print_visible(stderr, "ik: {}\n", claimed.error().to_string());
        return claimed.error().code() == ErrorCode::denied ? exit_usage : exit_store;
    }
    mem::Arena scratch(mem::root(), "undo");
    auto undo = agent::Undo::prepare(scratch, **store, *id, agent::default_checkpoints_dir());
    if (!undo) {
        tui::print_visible(stderr, "ik: {}\n", undo.error().to_string());
        return code_for(undo.error());
    }
    if (!undo->conflicts().empty() && !options.undo_force) {
        tui::print_visible(stderr,
            "ik: not undone: {} changed after the turn \"{}\": {}\nik: rerun with --force to overwrite them\n",
            undo->conflicts().size() == 1 ? "a file" : "files", undo->entry().prompt, conflict_list(*undo));
        return exit_refused;
    }
    auto files = undo->apply(**store, options.undo_force ? agent::UndoForce::yes : agent::UndoForce::no);
    if (!files) {
        tui::print_visible(stderr, "ik: {}\n", files.error().to_string());
        return code_for(files.error());
    }
    tui::print_visible(stdout, "{}\n", undo_done_text(*undo, *files));
    return exit_ok;
}

} // namespace ik::app
