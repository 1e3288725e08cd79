// Walking a project tree the way a developer expects: `.git/` is never
// entered, `.gitignore` rules are honoured, and the walk is bounded.
//
// Glob patterns (glob_match) are path patterns with '/' separators: `*`, `?`
// and `[...]` match within one path component, `**` matches any number of
// components (including none), `{a,b}` alternates. Gitignore support covers
// what real projects use: comments, `!` negation, trailing `/` (directories
// only), patterns anchored by a `/`, unanchored patterns matching a name at
// any depth, and `.gitignore` files in every directory from the repository
// root down. (Not supported: `.git/info/exclude`, core.excludesFile.)
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace ik::agent::internal {

// True when `path` ("src/a/b.cc") matches `pattern` ("src/**/*.cc").
bool glob_match(std::string_view pattern, std::string_view path);

class IgnoreRules {
public:
    // Adds the lines of a .gitignore found in directory `base` ("" for the
    // root, else "sub/dir", relative to the root the paths are tested against).
    void add(std::string_view base, std::string_view content);
    bool ignored(std::string_view path, bool is_dir) const;
    size_t size() const { return m_rules.size(); }

private:
    struct Rule {
        std::string base;
        std::string pattern;
        bool negate = false;
        bool dir_only = false;
        bool anchored = false;
    };
    std::vector<Rule> m_rules;
};

struct WalkEntry {
    std::string path; // relative to the walk's start, '/'-separated
    std::filesystem::path full;
    bool is_dir = false;
};

struct WalkOptions {
    bool respect_gitignore = true;
    size_t max_entries = 100000; // entries visited before the walk gives up
};

struct WalkStats {
    size_t visited = 0;
    bool truncated = false; // max_entries was reached
};

// Visits the entries under `start` (a directory) depth first, names sorted,
// directories before their contents. `visit` returns false to stop early.
// Ignored directories are not entered; symlinks are reported, not followed.
WalkStats walk(const std::filesystem::path& start, const std::function<bool(const WalkEntry&)>& visit,
    const WalkOptions& options = {});

} // namespace ik::agent::internal
