#include "store/internal/util.h"

#include <cctype>
#include <charconv>

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/random.h>
#include <unistd.h>

#include "core/json.h"
#include "core/utf8.h"
#include "store/records.h"

namespace ik::store::internal {

namespace {

std::string host_name()
{
    char buf[256] = {};
    if (gethostname(buf, sizeof buf - 1) != 0)
        return "unknown";
    return buf;
}

// Field 22 of /proc/PID/stat: the start time in clock ticks since boot. With
// the pid it names one process even after the pid is reused.
std::string start_time(long pid)
{
    std::string path = fmt::format("/proc/{}/stat", pid);
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return {};
    char buf[1024];
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return {};
    std::string_view stat(buf, static_cast<size_t>(n));
    size_t close_paren = stat.rfind(')'); // the command name may hold spaces and parentheses
    if (close_paren == std::string_view::npos)
        return {};
    std::string_view rest = stat.substr(close_paren + 1);
    // rest starts at field 3 (state); field 22 is 19 fields further.
    for (int field = 3; !rest.empty(); ++field) {
        while (!rest.empty() && rest.front() == ' ')
            rest.remove_prefix(1);
        size_t end = rest.find(' ');
        std::string_view value = rest.substr(0, end);
        if (field == 22)
            return std::string(value);
        if (end == std::string_view::npos)
            break;
        rest.remove_prefix(end);
    }
    return {};
}

struct Owner {
    std::string_view host;
    long pid = 0;
    std::string_view start;
};

std::optional<Owner> parse_owner(std::string_view owner)
{
    size_t a = owner.find('\t');
    size_t b = a == std::string_view::npos ? a : owner.find('\t', a + 1);
    if (b == std::string_view::npos)
        return std::nullopt;
    Owner o{ owner.substr(0, a), 0, owner.substr(b + 1) };
    std::string_view pid = owner.substr(a + 1, b - a - 1);
    if (std::from_chars(pid.data(), pid.data() + pid.size(), o.pid).ec != std::errc())
        return std::nullopt;
    return o;
}

} // namespace

Result<std::string> check_event_data(mem::Arena& scratch, EventKind kind, std::string_view data)
{
    if (kind != EventKind::user) {
        // Checked without building a document: a reply's final event holds
        // the whole reply, and a copy of it here would double the peak.
        TRY_CONTEXT(json::validate_object(data, "event data"), "while appending a {} event", to_string(kind));
        return std::string();
    }
    json::value v
        = TRY_CONTEXT(json::parse(scratch, data, "event data"), "while appending a {} event", to_string(kind));
    if (!v.is_object())
        return fail(ErrorCode::invalid_argument, "event data must be a JSON object, got {}", json::kind_name(v));
    if (kind != EventKind::user)
        return std::string();
    return session_title(json::Field(v)["text"].string_or(""));
}

std::string session_title(std::string_view text)
{
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
        text.remove_prefix(1);
    // Repaired before it is cut: a title given at creation (a sub-agent's
    // task description) may end inside a character, which PostgreSQL refuses.
    std::string line = utf8::repaired(text.substr(0, text.find('\n')));
    line.resize(utf8::prefix_fitting(line, utf8::Columns(80)).value);
    return line;
}

std::string new_session_id()
{
    unsigned char bytes[6];
    size_t got = 0;
    while (got < sizeof bytes) {
        ssize_t n = getrandom(bytes + got, sizeof bytes - got, 0);
        if (n > 0)
            got += static_cast<size_t>(n);
    }
    std::string id;
    for (unsigned char b : bytes)
        id += fmt::format("{:02x}", b);
    return id;
}

Result<std::string> normalize_id_prefix(std::string_view prefix)
{
    if (prefix.empty() || prefix.size() > 64)
        return fail(ErrorCode::invalid_argument, "session id \"{}\": expected 1 to 64 hex digits", prefix);
    std::string out;
    for (char c : prefix) {
        char l = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (!std::isxdigit(static_cast<unsigned char>(l)))
            return fail(ErrorCode::invalid_argument, "session id \"{}\": expected hex digits (0-9, a-f)", prefix);
        out += l;
    }
    return out;
}

std::string process_owner()
{
    long pid = static_cast<long>(getpid());
    return fmt::format("{}\t{}\t{}", host_name(), pid, start_time(pid));
}

bool owner_on_this_host(std::string_view owner)
{
    std::optional<Owner> o = parse_owner(owner);
    return o && o->host == host_name();
}

bool owner_alive(std::string_view owner)
{
    std::optional<Owner> o = parse_owner(owner);
    if (!o)
        return false;
    if (o->host != host_name())
        return true;
    std::string start = start_time(o->pid);
    return !start.empty() && start == o->start;
}

std::string describe_owner(std::string_view owner)
{
    std::optional<Owner> o = parse_owner(owner);
    if (!o)
        return "another ik process";
    return fmt::format("ik (pid {}) on host {}", o->pid, o->host);
}

bool is_partial_of(mem::Arena& scratch, std::string_view data, int64_t reply_id)
{
    Result<AssistantPartialRecord> r = AssistantPartialRecord::parse(scratch, data);
    return r && r->reply == reply_id;
}

// Once per reply or batch, not per delta: a small arena of its own is fine.
// The text is at most one unwritten batch (StoreOptions::flush_bytes).
std::string interrupted_json(std::string_view reason, std::string_view text, int64_t reply_id, Partials partials)
{
    mem::Arena arena(mem::root(), "record", { .cap = 0, .block_size = 1024 + text.size() * 2 });
    InterruptedRecord r{ .reason = reason, .text = text, .reply = reply_id, .partials = partials == Partials::written };
    return std::string(r.to_json(arena));
}

std::string fts5_query(std::string_view text)
{
    std::string out;
    size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i])))
            ++i;
        size_t start = i;
        while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i])))
            ++i;
        if (start == i)
            break;
        if (!out.empty())
            out += ' ';
        out += '"';
        for (char c : text.substr(start, i - start)) {
            if (c == '"')
                out += '"';
            out += c;
        }
        out += '"';
    }
    return out;
}

} // namespace ik::store::internal
