#include "tui/history.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>
#include <fcntl.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/json.h"
#include "core/utf8.h"

namespace ik::tui {
namespace {

bool is_blank(std::string_view s)
{
    return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// JSON text must be UTF-8: invalid bytes (a binary paste) are stored as
// U+FFFD so the line still parses when loaded.
std::string valid_utf8(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (size_t p = 0; p < text.size();) {
        size_t n = utf8::next_grapheme(text, utf8::Bytes(p)).value;
        std::string_view g = text.substr(p, n);
        out.append(utf8::is_valid(g) ? g : std::string_view("\xEF\xBF\xBD"));
        p += n;
    }
    return out;
}

std::string encode_line(std::string_view entry)
{
    std::string line
        = boost::json::serialize(boost::json::string(utf8::is_valid(entry) ? std::string(entry) : valid_utf8(entry)));
    line += '\n';
    return line;
}

Result<void> write_all(int fd, std::string_view data, const std::string& path)
{
    while (!data.empty()) {
        ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return fail(ErrorCode::io, "history: cannot write {}: {}", path, std::strerror(errno));
        data.remove_prefix(static_cast<size_t>(n));
    }
    return {};
}

Result<void> ensure_parent(const std::string& path)
{
    std::error_code ec;
    auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty())
        std::filesystem::create_directories(parent, ec);
    if (ec)
        return fail(ErrorCode::io, "history: cannot create {}: {}", parent.string(), ec.message());
    return {};
}

} // namespace

std::string History::default_path()
{
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg != nullptr && *xdg == '/')
        return std::string(xdg) + "/ik/history";
    if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0')
        return std::string(home) + "/.local/share/ik/history";
    return {};
}

Result<History> History::open(std::string path, size_t capacity)
{
    History h(capacity);
    h.m_path = std::move(path);
    TRY(h.load());
    return h;
}

Result<void> History::load()
{
    std::ifstream in(m_path, std::ios::binary);
    if (!in) {
        if (errno == ENOENT || !std::filesystem::exists(m_path))
            return {};
        return fail(ErrorCode::io, "history: cannot read {}: {}", m_path, std::strerror(errno));
    }
    mem::Arena scratch(mem::root(), "history-load");
    std::string line;
    while (std::getline(in, line)) {
        ++m_file_lines;
        scratch.reset();
        auto v = json::parse(scratch, line, m_path);
        if (!v.has_value() || !v->is_string()) {
            ++m_skipped;
            continue;
        }
        const auto& s = v->get_string();
        std::string_view entry(s.data(), s.size());
        if (!is_blank(entry) && (m_entries.empty() || m_entries.back() != entry))
            m_entries.emplace_back(entry);
    }
    if (m_entries.size() > m_capacity)
        m_entries.erase(m_entries.begin(), m_entries.end() - static_cast<ptrdiff_t>(m_capacity));
    return {};
}

Result<void> History::add(std::string_view entry)
{
    reset_navigation();
    if (is_blank(entry) || (!m_entries.empty() && m_entries.back() == entry))
        return {};
    m_entries.emplace_back(entry);
    if (m_entries.size() > m_capacity)
        m_entries.erase(m_entries.begin());
    if (m_path.empty())
        return {};
    if (m_file_lines + 1 > 2 * m_capacity)
        return rewrite();
    return append_line(entry);
}

Result<void> History::append_line(std::string_view entry)
{
    TRY(ensure_parent(m_path));
    int fd = ::open(m_path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return fail(ErrorCode::io, "history: cannot open {}: {}", m_path, std::strerror(errno));
    auto written = write_all(fd, encode_line(entry), m_path);
    ::close(fd);
    TRY(written);
    ++m_file_lines;
    return {};
}

// Compaction: the newest entries into a temp file, renamed over the old one
// so a crash leaves either file whole.
Result<void> History::rewrite()
{
    TRY(ensure_parent(m_path));
    std::string tmp = m_path + ".tmp";
    int fd = ::open(tmp.c_str(), O_WRONLY | O_TRUNC | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return fail(ErrorCode::io, "history: cannot open {}: {}", tmp, std::strerror(errno));
    std::string all;
    for (const auto& e : m_entries)
        all += encode_line(e);
    auto written = write_all(fd, all, tmp);
    ::close(fd);
    TRY(written);
    if (::rename(tmp.c_str(), m_path.c_str()) != 0)
        return fail(ErrorCode::io, "history: cannot rename {} to {}: {}", tmp, m_path, std::strerror(errno));
    m_file_lines = m_entries.size();
    return {};
}

std::optional<std::string_view> History::previous(std::string_view current)
{
    size_t pos = m_position.value_or(m_entries.size());
    if (pos == 0)
        return std::nullopt;
    if (!m_position)
        m_draft.assign(current);
    m_position = pos - 1;
    return std::string_view(m_entries[*m_position]);
}

std::optional<std::string_view> History::next()
{
    if (!m_position)
        return std::nullopt;
    size_t pos = *m_position + 1;
    if (pos >= m_entries.size()) {
        m_position.reset();
        return std::string_view(m_draft);
    }
    m_position = pos;
    return std::string_view(m_entries[pos]);
}

void History::reset_navigation()
{
    m_position.reset();
    m_draft.clear();
}

std::optional<size_t> History::find_before(std::string_view query, size_t before) const
{
    for (size_t i = std::min(before, m_entries.size()); i-- > 0;) {
        if (m_entries[i].find(query) != std::string::npos)
            return i;
    }
    return std::nullopt;
}

void HistorySearch::search_from(size_t before)
{
    auto found = m_history->find_before(m_query, before);
    m_failed = !found.has_value();
    if (found)
        m_match = found;
}

void HistorySearch::set_query(std::string_view query)
{
    m_query.assign(query);
    m_match.reset();
    search_from(m_history->size());
}

void HistorySearch::append(std::string_view text)
{
    m_query.append(text);
    // A longer query can only match the current entry or older ones.
    size_t before = m_match ? *m_match + 1 : m_history->size();
    search_from(before);
}

void HistorySearch::erase_last()
{
    if (m_query.empty())
        return;
    std::string shorter = m_query.substr(0, utf8::previous_grapheme(m_query, utf8::Bytes(m_query.size())).value);
    set_query(shorter);
}

void HistorySearch::older()
{
    if (m_match)
        search_from(*m_match);
    else
        search_from(m_history->size());
}

std::optional<std::string_view> HistorySearch::match() const
{
    if (!m_match || m_query.empty())
        return std::nullopt;
    return m_history->at(*m_match);
}

std::string HistorySearch::prompt() const
{
    std::string out = m_failed ? "(failed reverse-i-search)`" : "(reverse-i-search)`";
    out += m_query;
    out += "': ";
    if (auto m = match())
        out += *m;
    return out;
}

} // namespace ik::tui
