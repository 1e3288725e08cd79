#include "agent/instructions.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include <sys/utsname.h>

#include "agent/tools/internal/files.h"

namespace ik::agent {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view file_name = "AGENTS.md";

constexpr std::string_view default_prompt
    = R"(You are ik, a coding agent running in the user's terminal. You help with software engineering tasks in the user's project: reading and explaining code, fixing bugs, adding features, running builds and tests.

How to work:
- Look before you change: use list_dir, glob, grep and read_file to understand the code, then make focused changes with edit_file (or write_file for new files).
- Verify your work with bash: build, run the tests, check the output. Report honestly what passed and what did not.
- For a task of several steps, keep a short plan with the todo tool and update it as you go: one item in_progress at a time, each marked done when it is.
- Keep changes minimal and in the style of the surrounding code. Do not revert changes you did not make.
- Some tool calls need the user's approval; a denied call comes back as a result that says why. Do not retry a denied call unchanged.
- Paths are relative to the working directory unless absolute.
- Be concise. When you finish, say briefly what you did.)";

} // namespace

fs::path find_project_root(const fs::path& cwd)
{
    std::error_code ec;
    for (fs::path p = cwd.lexically_normal();; p = p.parent_path()) {
        if (fs::exists(p / ".git", ec))
            return p;
        if (p == p.root_path() || p.parent_path() == p || p.empty())
            break;
    }
    return cwd;
}

fs::path user_config_dir()
{
    if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg)
        return fs::path(xdg) / "ik";
    if (const char* home = std::getenv("HOME"); home && *home)
        return fs::path(home) / ".config" / "ik";
    return {};
}

InstructionFile cap_instructions(fs::path path, std::string text, size_t cap, size_t total_bytes)
{
    InstructionFile f{ std::move(path), std::move(text), 0, false };
    f.original_bytes = std::max(total_bytes, f.text.size());
    if (f.original_bytes <= cap)
        return f;
    size_t cut = cap == 0 ? std::string::npos : f.text.rfind('\n', std::min(cap, f.text.size()) - 1);
    if (cut == std::string::npos || cut == 0) {
        cut = std::min(cap, f.text.size());
        // Back up to a UTF-8 lead byte so no character is split.
        while (cut > 0 && cut < f.text.size() && (static_cast<unsigned char>(f.text[cut]) & 0xC0) == 0x80)
            --cut;
    } else {
        cut += 1; // keep the newline
    }
    f.text.resize(cut);
    if (!f.text.empty() && !f.text.ends_with('\n'))
        f.text += '\n';
    f.text += fmt::format("[{} truncated: showing the first {} of {}]\n", f.path.string(), internal::human_bytes(cut),
        internal::human_bytes(f.original_bytes));
    f.truncated = true;
    return f;
}

namespace {

Result<bool> load_one(const fs::path& path, size_t cap, std::vector<InstructionFile>& out)
{
    std::error_code ec;
    // Only regular files: opening a FIFO (or a device) would block start-up.
    if (!fs::is_regular_file(path, ec))
        return false;
    std::ifstream in(path, std::ios::binary);
    auto size = fs::file_size(path, ec);
    if (!in || ec)
        return fail(ErrorCode::io, "cannot read {}: {}", path.string(), ec ? ec.message() : std::strerror(errno));
    // Only what can be kept is read: a runaway AGENTS.md costs nothing.
    std::string text;
    text.resize(std::min<size_t>(size, cap + 1));
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<size_t>(in.gcount()));
    out.push_back(cap_instructions(path, std::move(text), cap, size));
    return true;
}

} // namespace

Result<std::vector<InstructionFile>> load_instructions(const InstructionSources& sources)
{
    std::vector<InstructionFile> files;
    if (!sources.user_config_dir.empty())
        TRY(load_one(sources.user_config_dir / file_name, sources.cap, files));
    fs::path project = find_project_root(sources.cwd) / file_name;
    std::error_code ec;
    bool same = !files.empty() && fs::equivalent(files.front().path, project, ec);
    if (!same)
        TRY(load_one(project, sources.cap, files));
    return files;
}

PromptEnvironment current_environment(const fs::path& cwd)
{
    PromptEnvironment env;
    env.cwd = cwd;
    env.project_root = find_project_root(cwd);
    std::error_code ec;
    env.git_repository = fs::exists(env.project_root / ".git", ec);
    struct utsname u { };
    if (::uname(&u) == 0)
        env.os = fmt::format("{} {} {}", u.sysname, u.release, u.machine);
    auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
    std::chrono::year_month_day ymd{ today };
    env.date = fmt::format("{:04}-{:02}-{:02}", int(ymd.year()), unsigned(ymd.month()), unsigned(ymd.day()));
    return env;
}

std::string build_system_prompt(const PromptEnvironment& env, std::span<const ToolDescriptor* const> tools,
    std::span<const InstructionFile> instructions)
{
    std::string s(default_prompt);
    s += "\n\n# Environment\n";
    s += fmt::format("- Working directory: {}\n", env.cwd.string());
    if (env.project_root != env.cwd)
        s += fmt::format("- Project root: {}\n", env.project_root.string());
    s += fmt::format("- Git repository: {}\n", env.git_repository ? "yes" : "no");
    if (!env.os.empty())
        s += fmt::format("- OS: {}\n", env.os);
    s += "- Shell: /bin/bash (the bash tool)\n";
    s += fmt::format("- Today's date: {}\n", env.date);
    s += "\n# Tools\n";
    for (auto* t : tools)
        s += fmt::format("- {}{}: {}\n", t->name, t->read_only() ? "" : " (may need approval)", t->description);
    for (auto& f : instructions) {
        s += fmt::format("\n# Instructions from {}\n\n", f.path.string());
        s += f.text;
        if (!s.ends_with('\n'))
            s += '\n';
    }
    return s;
}

} // namespace ik::agent
