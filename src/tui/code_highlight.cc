#include "tui/code_highlight.h"

#include <algorithm>
#include <array>
#include <climits>
#include <map>
#include <mutex>

#include <dlfcn.h>
#include <unistd.h>

#include "tui/internal/highlight_module.h"

namespace ik::tui {
namespace {

// The terminal style of each element the module reports (highlight_module.h).
const Style* element_style(uint32_t element)
{
    static const std::array<Style, IK_HL_ELEMENT_END> styles = [] {
        std::array<Style, IK_HL_ELEMENT_END> s{};
        s[IK_HL_KEYWORD] = Style{}.with(attr_bold).with_fg(color::magenta);
        s[IK_HL_TYPE] = Style{}.with_fg(color::cyan);
        s[IK_HL_STRING] = Style{}.with_fg(color::green);
        s[IK_HL_SPECIALCHAR] = Style{}.with_fg(color::yellow);
        s[IK_HL_COMMENT] = Style{}.with(attr_dim | attr_italic);
        s[IK_HL_TODO] = Style{}.with(attr_bold | attr_italic);
        s[IK_HL_NUMBER] = Style{}.with_fg(color::yellow);
        s[IK_HL_PREPROC] = Style{}.with_fg(color::magenta);
        s[IK_HL_FUNCTION] = Style{}.with_fg(color::blue);
        s[IK_HL_VARIABLE] = Style{}.with_fg(color::blue);
        s[IK_HL_OLDFILE] = Style{}.with_fg(color::red);
        s[IK_HL_NEWFILE] = Style{}.with_fg(color::green);
        s[IK_HL_DIFFLINES] = Style{}.with_fg(color::cyan);
        return s;
    }();
    return element > 0 && element < IK_HL_ELEMENT_END ? &styles[element] : nullptr;
}

constexpr const char* module_file = "ik_highlight.so";

// A load's outcome: the module's interface, or why there is none.
struct Module {
    const ik_highlight_v1_api* api = nullptr;
    std::string error;
};

Module open_module(const std::string& path)
{
    // RTLD_LOCAL: the library's Boost and ICU symbols stay out of ik's namespace.
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        const char* why = dlerror();
        return { nullptr, why ? why : path + ": dlopen failed" };
    }
    // Never dlclosed: the module lives as long as the process (its statics, the
    // library's language cache, stay reachable, so leak checkers stay quiet).
    auto entry = reinterpret_cast<ik_highlight_v1_fn>(dlsym(handle, IK_HIGHLIGHT_V1_SYMBOL));
    if (!entry)
        return { nullptr, path + ": no " IK_HIGHLIGHT_V1_SYMBOL " (a module of another version)" };
    const ik_highlight_v1_api* api = entry();
    if (!api || api->size < sizeof(ik_highlight_v1_api))
        return { nullptr, path + ": its interface is older than this ik" };
    return { api, {} };
}

// The directory of the running executable, or empty.
std::string exe_dir()
{
    char buf[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf);
    if (n <= 0 || static_cast<size_t>(n) >= sizeof buf)
        return {};
    std::string path(buf, static_cast<size_t>(n));
    size_t slash = path.rfind('/');
    return slash == std::string::npos ? std::string() : path.substr(0, slash);
}

// The module at `path`, or found next to the executable when `path` is
// empty; loaded once per process and path.
const Module& load_module(const std::string& path)
{
    static std::mutex mutex;
    static std::map<std::string, Module> loaded; // never shrinks: references stay valid
    std::lock_guard lock(mutex);
    if (auto it = loaded.find(path); it != loaded.end())
        return it->second;
    Module m;
    if (!path.empty()) {
        m = open_module(path);
    } else if (std::string dir = exe_dir(); dir.empty()) {
        m.error = "cannot resolve /proc/self/exe to find ";
        m.error += module_file;
    } else {
        m.error = "no ";
        m.error += module_file;
        for (const std::string& candidate : { dir + "/" + module_file, dir + "/../lib/ik/" + module_file }) {
            if (access(candidate.c_str(), F_OK) != 0) {
                m.error += " in " + candidate.substr(0, candidate.rfind('/')) + ",";
                continue;
            }
            m = open_module(candidate);
            break;
        }
        if (!m.api && m.error.ends_with(','))
            m.error.pop_back();
    }
    return loaded.emplace(path, std::move(m)).first->second;
}

// The module's highlighter, loaded on the first block with a language.
class ModuleHighlighter final : public CodeHighlighter {
public:
    ModuleHighlighter(HighlightDebug debug, std::string path)
        : m_debug(std::move(debug))
        , m_path(std::move(path))
    {
    }
    ~ModuleHighlighter() override
    {
        if (m_instance)
            m_api->destroy(m_instance);
    }
    ModuleHighlighter(const ModuleHighlighter&) = delete;
    ModuleHighlighter& operator=(const ModuleHighlighter&) = delete;

    bool highlight(std::string_view lang, std::string_view code, std::vector<Span>& out) override
    {
        out.clear();
        if (!m_tried)
            start();
        if (!m_instance)
            return false;
        // The runs are made here, in ik's memory; the module only reports them.
        int ok = m_api->highlight(m_instance, lang.data(), lang.size(), code.data(), code.size(), &emit, &out);
        if (!ok)
            out.clear();
        return ok != 0;
    }

private:
    void start()
    {
        m_tried = true;
        const Module& m = load_module(m_path);
        if (!m.api) {
            if (m_debug)
                m_debug("highlighting off, code blocks left plain: " + m.error);
            return;
        }
        m_api = m.api;
        m_instance = m_api->create(m_debug ? &note : nullptr, this);
        if (!m_instance && m_debug)
            m_debug("highlighting off, code blocks left plain: the module could not start");
    }

    static void emit(void* ctx, uint32_t begin, uint32_t end, uint32_t element)
    {
        if (const Style* style = element_style(element))
            static_cast<std::vector<Span>*>(ctx)->push_back(Span{ begin, end, *style });
    }
    static void note(void* ctx, const char* why, size_t len)
    {
        static_cast<ModuleHighlighter*>(ctx)->m_debug(std::string_view(why, len));
    }

    HighlightDebug m_debug;
    std::string m_path; // empty: next to the executable
    bool m_tried = false;
    const ik_highlight_v1_api* m_api = nullptr;
    void* m_instance = nullptr;
};

} // namespace

std::unique_ptr<CodeHighlighter> make_source_highlighter(HighlightDebug debug, std::string module_path)
{
    return std::make_unique<ModuleHighlighter>(std::move(debug), std::move(module_path));
}

bool HighlightCache::highlight(std::string_view lang, std::string_view code, std::vector<Span>& out)
{
    out.clear();
    if (!m_inner || lang.empty() || code.size() > max_code_bytes)
        return false;
    auto hit = std::find_if(
        m_entries.begin(), m_entries.end(), [&](const Entry& e) { return e.lang == lang && e.code == code; });
    if (hit != m_entries.end()) {
        out = hit->runs;
        return hit->ok;
    }
    ++m_misses;
    Entry e{ std::string(lang), std::string(code), false, {} };
    e.ok = m_inner->highlight(lang, code, e.runs);
    out = e.runs;
    bool ok = e.ok;
    if (m_entries.size() >= capacity)
        m_entries.erase(m_entries.begin());
    m_entries.push_back(std::move(e));
    return ok;
}

} // namespace ik::tui
