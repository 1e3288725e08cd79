// web_fetch: fetches one http(s) URL and returns it as text the model can
// read — HTML converted to Markdown, text and JSON as they are.
//
// The fetch (web/fetch.h) runs on the loop and refuses loopback, private and
// link-local addresses unless web.allow_hosts lists the host, on every hop;
// the conversion (web/html_markdown.h) treats the page as hostile. The call
// is approved like a command (ToolKind::network: asked in ask and auto-edit
// modes, allowed in yolo or by a "web_fetch" rule). It runs in ik itself,
// not in the command sandbox, so sandbox.network does not apply to it
// (docs/extensions.md says why).
//
// The result is "# <title>" and the Markdown, then a footer with the final
// URL, the content type and what was cut; errors are tool errors that say
// what to change (the status, web.timeout, web.allow_hosts).
#include <memory>

#include <fmt/format.h>

#include "agent/tools/internal/args.h"
#include "agent/tools/internal/builtin.h"
#include "agent/tools/internal/files.h"
#include "web/content_type.h"
#include "web/fetch.h"
#include "web/html_markdown.h"
#include "web/text_clean.h"
#include "web/url.h"

namespace ik::agent::internal {

namespace {

constexpr int64_t default_text_bytes = 100'000;
constexpr int64_t max_text_bytes = 1'000'000;
constexpr size_t error_excerpt_bytes = 2'000;

constexpr std::string_view schema = R"({
  "type": "object",
  "properties": {
    "url": {"type": "string", "description": "The http:// or https:// URL to fetch."},
    "max_bytes": {"type": "integer", "minimum": 1000, "maximum": 1000000, "description": "The most bytes of page text (Markdown) to return (default 100000). Ask for more only when a page was cut and the rest matters."}
  },
  "required": ["url"],
  "additionalProperties": false
})";

struct FetchArgs {
    std::string url;
    size_t max_bytes = default_text_bytes;
};

Result<FetchArgs> parse(const json::value& value)
{
    auto args = TRY(Args::make("web_fetch", value));
    FetchArgs f;
    f.url = std::string(TRY(args.required_string("url")));
    if (auto url = web::parse_url(f.url); !url)
        return fail(ErrorCode::invalid_argument, "web_fetch: {}", url.error().message());
    f.max_bytes = static_cast<size_t>(TRY(args.integer("max_bytes", default_text_bytes, 1000, max_text_bytes)));
    return f;
}

struct Text {
    std::string title;
    std::string body;
    bool cut = false; // more text than max_bytes
};

Result<Text> page_text(const web::FetchResult& page, size_t max_bytes)
{
    std::string utf8 = web::to_utf8(page.body, page.content_type);
    switch (web::body_kind(page.content_type, page.body)) {
    case web::BodyKind::html: {
        web::Markdown md = TRY(web::html_to_markdown(utf8, page.url, max_bytes));
        return Text{ std::move(md.title), std::move(md.text), md.truncated };
    }
    case web::BodyKind::text: {
        std::string clean = web::clean_text(utf8);
        std::string_view kept = web::utf8_prefix(clean, max_bytes);
        return Text{ {}, std::string(kept), kept.size() < clean.size() };
    }
    case web::BodyKind::binary:
        break;
    }
    return fail(ErrorCode::invalid_argument,
        "web_fetch: {} is binary content{} (web_fetch returns HTML as Markdown, and text, JSON and XML as they are)",
        page.url, page.content_type.empty() ? "" : fmt::format(" ({})", web::media_type(page.content_type)));
}

std::string footer(const web::FetchResult& page, const Text& text, size_t max_bytes, size_t download_cap)
{
    std::string type = page.content_type.empty() ? std::string("no content type") : web::media_type(page.content_type);
    std::string out = fmt::format(
        "\n\n---\nFetched {} ({}, HTTP {}, {}", page.url, type, page.status, human_bytes(page.body.size()));
    if (page.redirects > 0)
        out += fmt::format(", after {} redirect{}", page.redirects, page.redirects == 1 ? "" : "s");
    out += ")\n";
    if (page.truncated)
        out += fmt::format("[the page is larger than web.max_bytes ({}): only its first {} were downloaded]\n",
            human_bytes(download_cap), human_bytes(download_cap));
    if (text.cut)
        out += fmt::format("[the text was cut at {} bytes; fetch again with a larger max_bytes (at most {}) to read "
                           "more]\n",
            max_bytes, max_text_bytes);
    return out;
}

ToolResult format(const Result<web::FetchResult>& r, size_t max_bytes, size_t download_cap)
{
    if (!r)
        return ToolResult::error(fmt::format("web_fetch: {}", r.error().to_string()),
            r.error().code() == ErrorCode::denied ? "refused" : std::string(to_string(r.error().code())));
    const web::FetchResult& page = *r;
    auto text = page_text(page, page.status >= 400 ? error_excerpt_bytes : max_bytes);
    if (!text)
        return ToolResult::error(text.error().message(), "binary content");
    if (page.status >= 400) {
        ToolResult e = ToolResult::error(fmt::format("web_fetch: {} answered HTTP {}{}{}", page.url, page.status,
                                             text->body.empty() ? "" : ". The page says:\n\n", text->body),
            fmt::format("HTTP {}", page.status));
        return e;
    }
    ToolResult result;
    if (!text->title.empty())
        result.content = fmt::format("# {}\n\n", text->title);
    result.content += text->body.empty() ? std::string("(the page has no text)") : text->body;
    result.content += footer(page, *text, max_bytes, download_cap);
    result.summary = fmt::format(
        "HTTP {}, {}{}", page.status, human_bytes(page.body.size()), page.truncated || text->cut ? ", cut" : "");
    return result;
}

class WebFetchRun final : public ToolRun {
public:
    WebFetchRun(ToolContext& ctx, const FetchArgs& args, Completion done)
        : m_loop(ctx.loop)
        , m_done(std::move(done))
        , m_max_bytes(args.max_bytes)
    {
        web::FetchSettings settings = ctx.web ? *ctx.web : web::FetchSettings{};
        m_download_cap = settings.max_bytes;
        m_fetch = web::Fetch::start(ctx.loop, std::move(settings), args.url, [this](const Result<web::FetchResult>& r) {
            Completion finish = std::move(m_done);
            finish(format(r, m_max_bytes, m_download_cap)); // may destroy *this
        });
    }

    void cancel() override
    {
        if (!m_fetch)
            return;
        m_fetch.reset();
        ToolResult r = ToolResult::error("web_fetch: cancelled by the user", "cancelled");
        r.state = ToolState::cancelled;
        m_later = deliver_later(m_loop, std::move(r), std::move(m_done));
    }

private:
    Loop& m_loop;
    Completion m_done;
    size_t m_max_bytes;
    size_t m_download_cap = 0;
    std::unique_ptr<web::Fetch> m_fetch;
    std::unique_ptr<ToolRun> m_later;
};

std::unique_ptr<ToolRun> start(ToolContext& ctx, const json::value& value, Completion done)
{
    auto args = parse(value);
    if (!args)
        return deliver_later(ctx.loop, ToolResult::from(args.error()), std::move(done));
    return std::make_unique<WebFetchRun>(ctx, *args, std::move(done));
}

// The URL is what the user approves (shown where a command would be).
Result<ToolPreview> preview(ToolContext&, const json::value& value)
{
    auto args = TRY(parse(value));
    return ToolPreview{ .command = args.url };
}

} // namespace

const ToolDescriptor web_fetch_tool{
    .name = "web_fetch",
    .description = "Fetch an http(s) URL and return its content as text: HTML pages converted to Markdown (title, "
                   "headings, links with absolute URLs, lists, code blocks, tables), plain text and JSON as they "
                   "are; other content types (images, PDFs, archives) are refused. Redirects are followed (at most "
                   "5). Addresses on the user's machine or private network are refused unless the user allowed the "
                   "host. The text is cut at max_bytes (default 100000). Use it to read documentation or a page the "
                   "user points to; it does not run JavaScript.",
    .parameters = schema,
    .kind = ToolKind::network,
    .alongside = true,
    .run = nullptr,
    .start = start,
    .preview = preview,
};

} // namespace ik::agent::internal
