#include "llm/event.h"

namespace ik::llm {

std::string_view to_string(EventKind kind)
{
    switch (kind) {
    case EventKind::start:
        return "start";
    case EventKind::text_delta:
        return "text_delta";
    case EventKind::thinking_delta:
        return "thinking_delta";
    case EventKind::tool_call_start:
        return "tool_call_start";
    case EventKind::tool_call_delta:
        return "tool_call_delta";
    case EventKind::tool_call_end:
        return "tool_call_end";
    case EventKind::usage:
        return "usage";
    case EventKind::finish:
        return "finish";
    case EventKind::error:
        return "error";
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
