#include "llm/context_error.h"

#include <charconv>

namespace ik::llm {

namespace {

constexpr int64_t max_tokens = int64_t{ 100 } * 1000 * 1000;

bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

// The first number at or after `from` (commas inside it are skipped: "16,385").
int64_t number_after(std::string_view text, size_t from)
{
    while (from < text.size() && !is_digit(text[from]))
        ++from;
    int64_t value = 0;
    size_t digits = 0;
    for (size_t i = from; i < text.size(); ++i) {
        if (is_digit(text[i])) {
            value = value * 10 + (text[i] - '0');
            if (++digits > 10)
                return 0;
        } else if (text[i] != ',' || i + 1 >= text.size() || !is_digit(text[i + 1])) {
            break;
        }
    }
    return digits > 0 && value <= max_tokens ? value : 0;
}

// The number right after `needle` (within a few characters), or 0.
int64_t after(std::string_view text, std::string_view needle)
{
    size_t at = text.find(needle);
    if (at == std::string_view::npos)
        return 0;
    size_t from = at + needle.size();
    size_t limit = std::min(text.size(), from + 8);
    for (size_t i = from; i < limit; ++i)
        if (is_digit(text[i]))
            return number_after(text, i);
    return 0;
}

// The number just before `needle` ("200000 maximum"), or 0.
int64_t before(std::string_view text, std::string_view needle)
{
    size_t at = text.find(needle);
    if (at == std::string_view::npos || at == 0)
        return 0;
    size_t end = at;
    while (end > 0 && text[end - 1] == ' ')
        --end;
    size_t start = end;
    while (start > 0 && (is_digit(text[start - 1]) || text[start - 1] == ','))
        --start;
    return start < end ? number_after(text.substr(0, end), start) : 0;
}

} // namespace

ContextOverflow parse_context_overflow(std::string_view m)
{
    ContextOverflow o;
    if (int64_t w = after(m, "maximum context length is"); w > 0) { // OpenAI and friends
        o.window = w;
        o.prompt_tokens = after(m, "resulted in");
        if (o.prompt_tokens == 0)
            o.prompt_tokens = after(m, "requested about");
        return o;
    }
    if (int64_t w = before(m, "maximum"); w > 0 && m.find("prompt is too long") != std::string_view::npos) {
        o.window = w; // Anthropic
        o.prompt_tokens = after(m, "prompt is too long:");
        return o;
    }
    if (int64_t w = after(m, "tokens allowed ("); w > 0) { // Gemini
        o.window = w;
        o.prompt_tokens = after(m, "input token count (");
        return o;
    }
    if (int64_t w = after(m, "context size ("); w > 0) { // llama.cpp / Ollama
        o.window = w;
        o.prompt_tokens = after(m, "request (");
        return o;
    }
    return o;
}

} // namespace ik::llm
