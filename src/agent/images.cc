#include "agent/images.h"

#include <array>
#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent/tools/internal/confined.h"
#include "agent/tools/internal/files.h"

namespace ik::agent {

namespace {

// The magic bytes of the four types fit in 12 (WebP: "RIFF", size, "WEBP").
constexpr size_t head_bytes = 12;

struct Head {
    std::string bytes;
    size_t size = 0;
};

// The first bytes and the size of a regular file; nullopt for anything else
// (a directory, a FIFO, a missing file): the text path reports those.
Result<std::optional<Head>> read_head(std::string_view tool, const ToolContext& ctx, std::string_view raw)
{
    auto fd = internal::open_confined(ctx, tool, internal::resolve_path(ctx.cwd, raw), O_RDONLY | O_NONBLOCK);
    if (!fd) {
        if (fd.error().code() == ErrorCode::denied)
            return fail(fd.error());
        return std::optional<Head>();
    }
    struct stat st { };
    if (::fstat(fd->get(), &st) != 0 || !S_ISREG(st.st_mode))
        return std::optional<Head>();
    Head head;
    head.size = static_cast<size_t>(st.st_size);
    std::array<char, head_bytes> buf{};
    ssize_t n = 0;
    do
        n = ::read(fd->get(), buf.data(), buf.size());
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return fail(ErrorCode::io, "{}: cannot read {}: {}", tool, raw, std::strerror(errno));
    head.bytes.assign(buf.data(), static_cast<size_t>(n));
    return std::optional<Head>(std::move(head));
}

} // namespace

Result<std::optional<ToolImage>> read_image_file(std::string_view tool, const ToolContext& ctx, std::string_view raw)
{
    std::optional<Head> head = TRY(read_head(tool, ctx, raw));
    if (!head || !llm::sniff_image(head->bytes))
        return std::optional<ToolImage>();
    if (head->size > llm::max_image_file_bytes)
        return fail(ErrorCode::cap_exceeded, "{}: {} is an image of {}, over ik's limit of {} per image", tool, raw,
            llm::image_size(head->size), llm::image_size(llm::max_image_file_bytes));
    std::string bytes = TRY(internal::read_text_file(tool, ctx, raw, llm::max_image_file_bytes));
    // Read again in full: the file may have changed since its first bytes.
    auto type = llm::sniff_image(bytes);
    if (!type)
        return std::optional<ToolImage>();
    ToolImage image;
    image.media_type = std::string(*type);
    image.name = std::string(raw);
    image.data = llm::base64_encode(bytes);
    image.bytes = bytes.size();
    return std::optional<ToolImage>(std::move(image));
}

std::string image_label(const ToolImage& image)
{
    return fmt::format("{} {}", image.name, llm::image_size(image.bytes));
}

std::vector<llm::Image> image_views(std::span<const ToolImage> images)
{
    std::vector<llm::Image> out;
    out.reserve(images.size());
    for (const ToolImage& i : images)
        out.push_back(llm::Image{ .media_type = i.media_type, .data = i.data, .name = i.name });
    return out;
}

std::span<const store::ImageRecord> image_records(mem::Arena& arena, std::span<const llm::Image> images)
{
    if (images.empty())
        return {};
    auto* out = arena.make_array<store::ImageRecord>(images.size());
    for (size_t i = 0; i < images.size(); ++i)
        ::new (&out[i])
            store::ImageRecord{ .media_type = images[i].media_type, .name = images[i].name, .data = images[i].data };
    return { out, images.size() };
}

std::span<const llm::Image> images_of(mem::Arena& arena, std::span<const store::ImageRecord> records)
{
    if (records.empty())
        return {};
    auto* out = arena.make_array<llm::Image>(records.size());
    for (size_t i = 0; i < records.size(); ++i)
        ::new (&out[i])
            llm::Image{ .media_type = records[i].media_type, .data = records[i].data, .name = records[i].name };
    return { out, records.size() };
}

} // namespace ik::agent
