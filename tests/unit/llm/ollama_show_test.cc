// Reading Ollama's /api/show answer: which number is the window, and what an
// answer that names none (or is hostile) gives. The request itself is tested
// end to end in integration.ollama.
#include <gtest/gtest.h>

#include "llm/ollama_show.h"
#include "support/matchers.h"

using namespace ik::llm;
using ik::ErrorCode;
using ik::testing::HasError;

namespace {

TEST(OllamaShow, NumCtxWinsCappedByTheTrainedLength)
{
    EXPECT_EQ(*ollama_window(R"({"parameters": "temperature 0.7\nnum_ctx                        8192",
        "model_info": {"general.architecture": "llama", "llama.context_length": 131072}})"),
        8192);
    // num_ctx past what the model was trained for: the trained length.
    EXPECT_EQ(*ollama_window(R"({"parameters": "num_ctx 65536",
        "model_info": {"general.architecture": "qwen2", "qwen2.context_length": 32768}})"),
        32768);
    // num_ctx alone (no model_info): it is the window.
    EXPECT_EQ(*ollama_window(R"({"parameters": "num_ctx 4096"})"), 4096);
}

TEST(OllamaShow, WithoutNumCtxTheTrainedLength)
{
    EXPECT_EQ(*ollama_window(R"({"parameters": "stop \"<|im_end|>\"\nnum_ctx_extra 5",
        "model_info": {"general.architecture": "qwen3", "qwen3.context_length": 40960, "qwen3.block_count": 36}})"),
        40960);
    // No general.architecture: any "*.context_length".
    EXPECT_EQ(*ollama_window(R"({"model_info": {"gemma3.context_length": 131072}})"), 131072);
}

TEST(OllamaShow, AnAnswerNamingNoLengthIsAParseError)
{
    EXPECT_THAT(ollama_window("{}"), HasError(ErrorCode::parse));
    EXPECT_THAT(ollama_window("not json"), HasError(ErrorCode::parse));
    EXPECT_THAT(ollama_window(R"({"parameters": 12, "model_info": [1]})"), HasError(ErrorCode::parse));
    EXPECT_THAT(ollama_window(R"({"parameters": "num_ctx -5\nnum_ctx abc",
        "model_info": {"general.architecture": "x", "x.context_length": -1}})"),
        HasError(ErrorCode::parse));
    EXPECT_THAT(ollama_window(R"({"parameters": "num_ctx 99999999999"})"), HasError(ErrorCode::parse));
    EXPECT_THAT(ollama_window(R"({"model_info": {"general.architecture": 7, "x.context_length": "big"}})"),
        HasError(ErrorCode::parse));
}

TEST(OllamaShow, TheShowUrlSitsBesideV1)
{
    EXPECT_EQ(ollama_show_url("http://127.0.0.1:11434/v1"), "http://127.0.0.1:11434/api/show");
    EXPECT_EQ(ollama_show_url("http://127.0.0.1:11434/v1/"), "http://127.0.0.1:11434/api/show");
    EXPECT_EQ(ollama_show_url("http://gpu-box:8080"), "http://gpu-box:8080/api/show");
}

TEST(OllamaShow, AServerThatIsNotThereIsANetworkError)
{
    auto r = ask_ollama_window("http://127.0.0.1:9/v1", "qwen3", std::chrono::milliseconds(300));
    EXPECT_THAT(r, HasError(ErrorCode::network));
}

} // namespace
