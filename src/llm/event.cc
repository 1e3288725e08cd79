#include "llm/event.h"

namespace ik::llm {

std::string_view to_string(StreamEventKind kind)
{
    switch (kind) {
    case StreamEventKind::start:
        return "start";
    case StreamEventKind::text_delta:
        return "text_delta";
    case StreamEventKind::thinking_delta:
        return "thinking_delta";
    case StreamEventKind::tool_call_start:
        return "tool_call_start";
    case StreamEventKind::tool_call_delta:
        return "tool_call_delta";
    case StreamEventKind::tool_call_end:
        return "tool_call_end";
    case StreamEventKind::usage:
        return "usage";
    case StreamEventKind::finish:
        return "finish";
    case StreamEventKind::error:
        return "error";
    case StreamEventKind::search:
        return "search";
    case StreamEventKind::source:
        return "source";
    }
    return "unknown";
}

std::string_view to_string(FinishReason reason)
{
    switch (reason) {
    case FinishReason::stop:
        return "stop";
    case FinishReason::length:
        return "length";
    case FinishReason::tool_calls:
        return "tool_calls";
    case FinishReason::content_filter:
        return "content_filter";
    case FinishReason::refusal:
        return "refusal";
    case FinishReason::error:
        return "error";
    case FinishReason::other:
        return "other";
    }
    return "unknown";
}

} // namespace ik::llm
