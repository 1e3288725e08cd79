// An image a tool returns or a prompt attaches, before a message holds it.
//
// Read once from its file (agent/images.h) or taken from an MCP result, it is
// kept here already base64-encoded, the form every provider and the store
// use, until the conversation copies it into the exchange arena and the
// record writes it to the store; then this heap copy goes.
//
// Owns its strings (heap).
#pragma once

#include <cstddef>
#include <string>

namespace ik::agent {

struct ToolImage {
    std::string media_type; // from the magic bytes: "image/png", "image/jpeg", "image/gif", "image/webp"
    std::string name; // how the user or model named it: "shots/a.png"
    std::string data; // base64
    size_t bytes = 0; // decoded size
};

} // namespace ik::agent
