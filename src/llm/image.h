// Images in a conversation: what one is, how its type is known, how big it
// may be for each provider.
//
// An image travels as its media type and its base64 text, because every wire
// format carries it that way (Anthropic `source.data`, OpenAI `data:` URLs,
// Gemini `inlineData.data`) and the store keeps it so too: encoded once, when
// the file is read, never again per request. The type comes from the first
// bytes of the file (PNG, JPEG, GIF, WebP), never from its name: a file called
// shot.png holding text is not an image.
//
//   auto type = llm::sniff_image(bytes);              // "image/png" or nullopt
//   std::string b64 = llm::base64_encode(bytes);
//   llm::Image img{ .media_type = *type, .data = b64, .name = "shot.png" };
//
// Image is a set of views; whoever builds the message owns the bytes (the
// exchange arena, for messages in a conversation).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace ik::llm {

struct Image {
    std::string_view media_type; // "image/png", "image/jpeg", "image/gif", "image/webp"
    std::string_view data; // base64 (RFC 4648, padded, no line breaks)
    std::string_view name; // for notes and display ("shot.png"); never sent as a path
    // The decoded size in bytes, from the base64 length.
    size_t bytes() const;
};

// The media type of `bytes` by its magic number; nullopt for anything else.
std::optional<std::string_view> sniff_image(std::string_view bytes);

std::string base64_encode(std::string_view bytes);
// nullopt when `text` is not padded base64 (whitespace is not accepted).
std::optional<std::string> base64_decode(std::string_view text);

// "120 KB", "4.2 MB": sizes in notes and attachment labels.
std::string image_size(size_t bytes);

// What one provider accepts. Sizes compare the base64 text, which is what the
// request carries (Anthropic counts the encoded data against its limit).
struct ImageLimits {
    std::string_view provider; // "Anthropic": named in the refusal
    size_t max_image_bytes = 0; // one image
    size_t max_request_bytes = 0; // all images of one request; 0: no limit of its own
};

// ik's own bounds, whatever the provider: no file over this is read as an
// image (the largest any provider accepts), and no message carries more
// images than this.
inline constexpr size_t max_image_file_bytes = size_t{ 20 } * 1000 * 1000;
inline constexpr size_t max_images_per_message = 20;

} // namespace ik::llm
