#include "agent/tools/internal/walk.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include <fnmatch.h>

namespace ik::agent::internal {

namespace fs = std::filesystem;

namespace {

// "a{b,c}d{e,f}" -> abde abdf acde acdf. Unbalanced braces stay literal.
void expand_braces(const std::string& pattern, std::vector<std::string>& out)
{
    size_t open = pattern.find('{');
    if (open == std::string::npos) {
        out.push_back(pattern);
        return;
    }
    int depth = 0;
    size_t close = std::string::npos;
    std::vector<size_t> commas;
    for (size_t i = open; i < pattern.size(); ++i) {
        if (pattern[i] == '{')
            ++depth;
        else if (pattern[i] == '}' && --depth == 0) {
            close = i;
            break;
        } else if (pattern[i] == ',' && depth == 1)
            commas.push_back(i);
    }
    if (close == std::string::npos || commas.empty()) {
        out.push_back(pattern);
        return;
    }
    std::string head = pattern.substr(0, open), tail = pattern.substr(close + 1);
    size_t from = open + 1;
    commas.push_back(close);
    for (size_t c : commas) {
        std::string alternative = head;
        alternative += pattern.substr(from, c - from);
        alternative += tail;
        expand_braces(alternative, out);
        from = c + 1;
    }
}

std::vector<std::string_view> split(std::string_view s)
{
    std::vector<std::string_view> parts;
    size_t from = 0;
    while (from <= s.size()) {
        size_t to = s.find('/', from);
        if (to == std::string_view::npos)
            to = s.size();
        if (to > from)
            parts.push_back(s.substr(from, to - from));
        from = to + 1;
    }
    return parts;
}

bool match_name(std::string_view pattern, std::string_view name)
{
    return ::fnmatch(std::string(pattern).c_str(), std::string(name).c_str(), 0) == 0;
}

bool match_segments(
    const std::vector<std::string_view>& pat, size_t pi, const std::vector<std::string_view>& path, size_t si)
{
    if (pi == pat.size())
        return si == path.size();
    if (pat[pi] == "**") {
        for (size_t k = si; k <= path.size(); ++k)
            if (match_segments(pat, pi + 1, path, k))
                return true;
        return false;
    }
    if (si == path.size() || !match_name(pat[pi], path[si]))
        return false;
    return match_segments(pat, pi + 1, path, si + 1);
}

} // namespace

bool glob_match(std::string_view pattern, std::string_view path)
{
    std::vector<std::string> alternatives;
    expand_braces(std::string(pattern), alternatives);
    auto segments = split(path);
    for (auto& alt : alternatives)
        if (match_segments(split(alt), 0, segments, 0))
            return true;
    return false;
}

void IgnoreRules::add(std::string_view base, std::string_view content)
{
    std::istringstream in{ std::string(content) };
    std::string line;
    while (std::getline(in, line)) {
        while (!line.empty() && (line.back() == '\r' || (line.back() == ' ' && !line.ends_with("\\ "))))
            line.pop_back();
        if (line.empty() || line[0] == '#')
            continue;
        Rule r;
        r.base = std::string(base);
        if (line[0] == '!') {
            r.negate = true;
            line.erase(0, 1);
        } else if (line.starts_with("\\!") || line.starts_with("\\#")) {
            line.erase(0, 1);
        }
        if (line.ends_with('/')) {
            r.dir_only = true;
            line.pop_back();
        }
        if (line.empty())
            continue;
        r.anchored = line.find('/') != std::string::npos;
        if (line[0] == '/')
            line.erase(0, 1);
        r.pattern = std::move(line);
        m_rules.push_back(std::move(r));
    }
}

bool IgnoreRules::ignored(std::string_view path, bool is_dir) const
{
    bool result = false;
    for (auto& r : m_rules) {
        if (r.dir_only && !is_dir)
            continue;
        std::string_view sub = path;
        if (!r.base.empty()) {
            if (!path.starts_with(r.base) || path.size() <= r.base.size() || path[r.base.size()] != '/')
                continue;
            sub = path.substr(r.base.size() + 1);
        }
        bool hit;
        if (r.anchored) {
            hit = glob_match(r.pattern, sub);
        } else {
            auto slash = sub.rfind('/');
            hit = match_name(r.pattern, slash == std::string_view::npos ? sub : sub.substr(slash + 1));
        }
        if (hit)
            result = !r.negate;
    }
    return result;
}

namespace {

std::string read_small(const fs::path& p)
{
    std::ifstream in(p, std::ios::binary);
    if (!in)
        return {};
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

struct Walker {
    const std::function<bool(const WalkEntry&)>& visit;
    const WalkOptions& options;
    IgnoreRules rules;
    std::string prefix; // the start directory relative to the repository root, "" or "a/b/"
    WalkStats stats;
    bool stopped = false;

    void load_ignore(const fs::path& dir, const std::string& base)
    {
        std::string text = read_small(dir / ".gitignore");
        if (!text.empty())
            rules.add(base, text);
    }

    void dir(const fs::path& full, const std::string& rel)
    {
        if (options.respect_gitignore)
            load_ignore(full, rel.empty() ? (prefix.empty() ? "" : prefix.substr(0, prefix.size() - 1)) : prefix + rel);
        std::vector<fs::directory_entry> entries;
        std::error_code ec;
        for (fs::directory_iterator it(full, fs::directory_options::skip_permission_denied, ec), end; !ec && it != end;
             it.increment(ec))
            entries.push_back(*it);
        std::sort(
            entries.begin(), entries.end(), [](auto& a, auto& b) { return a.path().filename() < b.path().filename(); });
        for (auto& e : entries) {
            if (stopped)
                return;
            std::string name = e.path().filename().string();
            if (name == ".git")
                continue;
            std::error_code tec;
            bool is_dir = e.is_directory(tec) && !e.is_symlink(tec);
            std::string child = rel;
            if (!child.empty())
                child += '/';
            child += name;
            if (options.respect_gitignore && rules.ignored(prefix + child, is_dir))
                continue;
            if (++stats.visited > options.max_entries) {
                stats.truncated = true;
                stopped = true;
                return;
            }
            if (!visit(WalkEntry{ child, e.path(), is_dir })) {
                stopped = true;
                return;
            }
            if (is_dir)
                dir(e.path(), child);
        }
    }
};

} // namespace

WalkStats walk(const fs::path& start, const std::function<bool(const WalkEntry&)>& visit, const WalkOptions& options)
{
    Walker w{ visit, options, {}, {}, {}, false };
    if (options.respect_gitignore) {
        // Rules from the repository root down to `start` apply too.
        std::error_code ec;
        fs::path abs = fs::absolute(start, ec).lexically_normal();
        std::vector<fs::path> chain;
        for (fs::path p = abs;; p = p.parent_path()) {
            chain.push_back(p);
            if (fs::exists(p / ".git", ec) || p == p.root_path() || p.parent_path() == p)
                break;
        }
        if (fs::exists(chain.back() / ".git", ec) && chain.size() > 1) {
            fs::path root = chain.back();
            w.prefix = abs.lexically_relative(root).generic_string() + "/";
            for (size_t i = chain.size(); i-- > 1;) {
                std::string base = chain[i].lexically_relative(root).generic_string();
                w.load_ignore(chain[i], base == "." ? "" : base);
            }
        }
    }
    w.dir(start, "");
    return w.stats;
}

} // namespace ik::agent::internal
