// Notes of an external tool source (an MCP resource that changed) go to the
// model with the next prompt, once.
#include <gtest/gtest.h>

#include "agent/tools/external.h"
#include "unit/agent/session_fixture.h"

namespace ik::agent::test {
namespace {

class NotingTools final : public ExternalTools {
public:
    const ToolDescriptor* find(std::string_view) override { return nullptr; }
    void append_specs(std::vector<llm::ToolSpec>&) override { }
    uint64_t generation() const override { return 1; }
    std::unique_ptr<ToolRun> start(const ToolDescriptor&, ToolContext&, const json::value&, Completion) override
    {
        return nullptr;
    }
    std::string take_notes() override { return std::exchange(m_note, std::string()); }

    std::string m_note = "[MCP server 'docs' says resource mem://a changed]";
};

TEST_F(SessionTest, ExternalNotesGoWithTheNextPromptOnce)
{
    NotingTools tools;
    set_external_tools(&tools);
    open(settings());
    model.rounds.push_back(reply({ text("one"), finish(llm::FinishReason::stop) }));
    model.rounds.push_back(reply({ text("two"), finish(llm::FinishReason::stop) }));
    run("hi");
    run("again");
    set_external_tools(nullptr);
    ASSERT_EQ(session->conversation().size(), 4u);
    EXPECT_EQ(session->conversation().messages()[0].text, "hi\n\n[MCP server 'docs' says resource mem://a changed]");
    EXPECT_EQ(session->conversation().messages()[2].text, "again");
}

} // namespace
} // namespace ik::agent::test
