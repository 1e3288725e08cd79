// Starts ik-mockllm for one test: writes the script, launches the server on
// an ephemeral loopback port, waits for its port file, and stops it (by pid)
// on destruction. requests() returns what ik sent, one parsed log line each.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "support/process.h"

namespace ik::testing {

class MockLlm {
public:
    // `exe`: the ik-mockllm binary. `dir`: where script, port file and log go.
    MockLlm(const std::string& exe, const std::string& dir, std::string_view script_json, int max_seconds = 30);
    ~MockLlm();

    bool ok() const { return m_port > 0; }
    int port() const { return m_port; }
    std::string base_url(std::string_view suffix = "/v1") const;
    // The request log: one JSON object per request ({path, format, headers, body}).
    std::vector<std::string> requests() const;

private:
    std::string m_dir;
    std::unique_ptr<Background> m_server;
    int m_port = 0;
};

} // namespace ik::testing
