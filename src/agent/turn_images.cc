// The turn's messages that may carry images: the prompt (with its @path
// images) and each tool result, recorded with their images and added to the
// window. Kept out of turn.cc, which holds the loop itself.
#include "agent/images.h"
#include "agent/turn.h"

namespace ik::agent {

void Turn::keep_prompt_images(std::span<const llm::Image> images)
{
    // Copied into the turn arena: prompt hooks may run before the prompt is
    // recorded, and the caller's copy is gone by then.
    m_images = {};
    if (images.empty())
        return;
    auto* copied = m_arena.make_array<llm::Image>(images.size());
    for (size_t i = 0; i < images.size(); ++i)
        ::new (&copied[i]) llm::Image{ .media_type = m_arena.copy(images[i].media_type),
            .data = m_arena.copy(images[i].data),
            .name = m_arena.copy(images[i].name) };
    m_images = { copied, images.size() };
}

store::UserRecord Turn::user_record(std::string_view prompt)
{
    return store::UserRecord{ .text = prompt, .images = image_records(m_arena, m_images) };
}

Result<int64_t> Turn::keep_tool_result(const llm::ToolCall& call, const ToolResult& result)
{
    std::optional<int64_t> exit_code;
    if (result.exit_code)
        exit_code = *result.exit_code;
    std::vector<llm::Image> images = image_views(result.images);
    auto seq = m_host.recorder().record(store::ToolResultRecord{ .id = call.id,
        .name = call.name,
        .text = result.content,
        .is_error = result.is_error,
        .summary = result.summary,
        .state = result.state,
        .exit_code = exit_code,
        .images = image_records(*m_round, images) });
    m_host.window().add_tool_result(call.id, call.name, result.content, result.is_error, images);
    return seq;
}

} // namespace ik::agent
