// libFuzzer harness: an SSE body through the openai_chat decoder (decoder_fuzz.h).
#include "decoder_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    return ik::fuzz::fuzz_decoder(ik::llm::WireFormat::openai_chat, data, size);
}
