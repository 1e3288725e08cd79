#include "llm/image_fit.h"

#include <vector>

#include <fmt/format.h>

namespace ik::llm {

namespace {

constexpr size_t mb = size_t{ 1000 } * 1000;

} // namespace

ImageLimits image_limits(WireFormat format)
{
    // Read from the providers' vision guides (2025-11): Anthropic refuses an
    // image over 5 MB; OpenAI documents 20 MB per image (50 MB per request);
    // Gemini takes inline data up to a 20 MB request and wants the Files API
    // beyond. Ollama and other OpenAI-compatible servers get OpenAI's.
    switch (format) {
    case WireFormat::anthropic:
        return { "Anthropic", 5 * mb, 0 };
    case WireFormat::openai_chat:
    case WireFormat::openai_responses:
        return { "OpenAI", 20 * mb, 50 * mb };
    case WireFormat::gemini:
        return { "Gemini", 20 * mb, 20 * mb };
    }
    return { "the provider", 5 * mb, 0 };
}

Request fit_images(mem::Arena& turn, const Request& request, WireFormat format)
{
    bool any = false;
    for (const Message& m : request.messages)
        any |= !m.images.empty();
    if (!any)
        return request;
    ImageLimits limits = image_limits(format);
    auto* messages = turn.make_array<Message>(request.messages.size());
    size_t budget = limits.max_request_bytes ? limits.max_request_bytes : SIZE_MAX;
    for (size_t k = request.messages.size(); k-- > 0;) {
        const Message& m = request.messages[k];
        ::new (&messages[k]) Message(m);
        if (m.images.empty())
            continue;
        std::vector<Image> kept;
        std::string notes;
        for (size_t i = m.images.size(); i-- > 0;) {
            const Image& img = m.images[i];
            std::string why;
            if (!request.accepts_images)
                why = fmt::format("model {} does not accept images", request.model);
            else if (i >= max_images_per_message)
                why = fmt::format("more than {} images in one message", max_images_per_message);
            else if (img.data.size() > limits.max_image_bytes)
                why = fmt::format("{} encoded, over {}'s limit of {} per image", image_size(img.data.size()),
                    limits.provider, image_size(limits.max_image_bytes));
            else if (img.data.size() > budget)
                why = fmt::format("the request's images would pass {}'s limit of {} per request", limits.provider,
                    image_size(limits.max_request_bytes));
            if (why.empty()) {
                budget -= img.data.size();
                kept.insert(kept.begin(), img);
            } else {
                notes.insert(0, fmt::format("\n[image {} not sent: {}]", img.name, why));
            }
        }
        if (notes.empty())
            continue;
        std::string text(m.text);
        text += m.text.empty() ? std::string_view(notes).substr(1) : std::string_view(notes);
        messages[k].text = turn.copy(text);
        auto* images = turn.make_array<Image>(kept.size());
        for (size_t i = 0; i < kept.size(); ++i)
            ::new (&images[i]) Image(kept[i]);
        messages[k].images = { images, kept.size() };
    }
    Request out = request;
    out.messages = { messages, request.messages.size() };
    return out;
}

} // namespace ik::llm
