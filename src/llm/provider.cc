#include "llm/provider.h"

#include "llm/providers/anthropic.h"
#include "llm/providers/gemini.h"
#include "llm/providers/openai_chat.h"
#include "llm/providers/openai_responses.h"

namespace ik::llm {

std::string_view to_string(WireFormat format)
{
    switch (format) {
    case WireFormat::openai_chat:
        return "openai_chat";
    case WireFormat::openai_responses:
        return "openai_responses";
    case WireFormat::anthropic:
        return "anthropic";
    case WireFormat::gemini:
        return "gemini";
    }
    return "unknown";
}

const Provider& provider_for(WireFormat format)
{
    // Stateless singletons: constructed once, never destroyed order-sensitively.
    static const OpenAiChat chat;
    static const OpenAiResponses responses;
    static const Anthropic anthropic;
    static const Gemini gemini;
    switch (format) {
    case WireFormat::openai_chat:
        return chat;
    case WireFormat::openai_responses:
        return responses;
    case WireFormat::anthropic:
        return anthropic;
    case WireFormat::gemini:
        return gemini;
    }
    return chat;
}

} // namespace ik::llm
