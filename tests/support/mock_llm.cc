#include "support/mock_llm.h"

#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

namespace ik::testing {

MockLlm::MockLlm(const std::string& exe, const std::string& dir, std::string_view script_json, int max_seconds)
    : m_dir(dir)
{
    // A second mock in the same directory must not read the first one's
    // port or requests.
    std::remove((dir + "/port").c_str());
    std::remove((dir + "/requests.jsonl").c_str());
    std::ofstream(dir + "/script.json") << script_json;
    m_server = std::make_unique<Background>(exe,
        std::vector<std::string>{ "--port", "0", "--script", dir + "/script.json", "--port-file", dir + "/port",
            "--log", dir + "/requests.jsonl", "--max-seconds", std::to_string(max_seconds) });
    for (int i = 0; i < 500 && m_port == 0; ++i) {
        std::ifstream in(dir + "/port");
        if (!(in >> m_port))
            m_port = 0;
        if (m_port == 0)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

MockLlm::~MockLlm() = default;

std::string MockLlm::base_url(std::string_view suffix) const
{
    return "http://127.0.0.1:" + std::to_string(m_port) + std::string(suffix);
}

std::vector<std::string> MockLlm::requests() const
{
    std::vector<std::string> lines;
    std::ifstream in(m_dir + "/requests.jsonl");
    for (std::string line; std::getline(in, line);)
        if (!line.empty())
            lines.push_back(line);
    return lines;
}

} // namespace ik::testing
