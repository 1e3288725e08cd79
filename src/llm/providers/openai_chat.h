// The openai chat wire format (see docs/providers.md for the mapping table).
//
// Stateless: build_request() writes into the turn arena it is given; each
// response gets its own decoder (made in the turn arena's lifetime, owning
// only its small per-response state in that arena).
#pragma once

#include "llm/provider.h"

namespace ik::llm {

class OpenAiChat final : public Provider {
public:
    WireFormat format() const override;
    std::string_view default_base_url() const override;
    Result<HttpRequest> build_request(
        mem::Arena& turn, const Endpoint& endpoint, const Request& request) const override;
    std::unique_ptr<StreamDecoder> make_decoder(mem::Arena& turn) const override;
    Error classify_http_error(int status, std::string_view body, std::string_view retry_after) const override;
};

} // namespace ik::llm
