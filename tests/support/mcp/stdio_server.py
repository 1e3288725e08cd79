#!/usr/bin/env python3
"""An MCP server over stdio for ik's integration tests (tests/integration/mcp_test.cc).

Newline-delimited JSON-RPC on stdin/stdout. Every message it receives is
appended to $MCP_LOG (one JSON object per line, plus {"start": pid}), so a
test can check what ik sent. Options (argv):
  --version V      answer initialize with protocol version V (default: the client's)
  --no-tools-cap   (unused placeholder for future tests)
  --no-extras      announce neither resources nor prompts
Tools:
  add {a, b}       text: the sum
  echo {text}      text: the text
  peek {}          readOnlyHint: true; text "peeked"
  fail {}          isError: true
  media {}         an image, a resource link and a text block
  forged_image {}  an image block whose bytes are an SVG's text, not an image
  slow {seconds}   answers after `seconds` (a cancel notification is logged)
  progress {}      three notifications/progress, then "progressed"
  crash {}         exits at once with status 3, without answering
  flood {}         writes 64 MiB without a newline
  grow {}          adds the tool `late` and sends notifications/tools/list_changed
  late {}          (after grow) text "late tool"
Resources (resources/list in two pages, resources/read):
  file:///notes.txt   text "the notes say hello"
  file:///logo.png    a blob (base64 of 3000 bytes), image/png
  file:///huge.txt    300 KiB of text
  file:///evil.txt    text with terminal escapes
  any other URI       error -32002 "resource not found"
Prompts (prompts/list, prompts/get):
  explain {topic (required), depth}   one user message naming both
  greet {}                            a user and an assistant message
  broken {}                           error -32603
"""
import base64
import json
import os
import sys
import threading
import time

LOG = os.environ.get("MCP_LOG")
lock = threading.Lock()
version_override = None
args = sys.argv[1:]
extras = "--no-extras" not in args
if "--version" in args:
    version_override = args[args.index("--version") + 1]
grown = False


def log(obj):
    if LOG:
        with lock, open(LOG, "a") as f:
            f.write(json.dumps(obj) + "\n")


def send(obj):
    data = json.dumps(obj) + "\n"
    with lock:
        sys.stdout.write(data)
        sys.stdout.flush()


def text(t, is_error=False):
    r = {"content": [{"type": "text", "text": t}]}
    if is_error:
        r["isError"] = True
    return r


def tools():
    obj = {"type": "object", "properties": {}}
    out = [
        {"name": "add", "description": "Adds two numbers",
         "inputSchema": {"type": "object", "properties": {"a": {"type": "number"}, "b": {"type": "number"}},
                         "required": ["a", "b"]}},
        {"name": "echo", "description": "Echoes text",
         "inputSchema": {"type": "object", "properties": {"text": {"type": "string"}}}},
        {"name": "peek", "description": "Reads nothing", "inputSchema": obj,
         "annotations": {"readOnlyHint": True}},
        {"name": "fail", "description": "Always fails", "inputSchema": obj},
        {"name": "media", "description": "Returns media", "inputSchema": obj},
        {"name": "forged_image", "description": "An image block that is not an image", "inputSchema": obj},
        {"name": "slow", "description": "Takes its time",
         "inputSchema": {"type": "object", "properties": {"seconds": {"type": "number"}}}},
        {"name": "progress", "description": "Reports progress", "inputSchema": obj},
        {"name": "crash", "description": "Exits", "inputSchema": obj},
        {"name": "flood", "description": "Floods", "inputSchema": obj},
        {"name": "grow", "description": "Adds a tool", "inputSchema": obj},
    ]
    if grown:
        out.append({"name": "late", "description": "Added later", "inputSchema": obj})
    return out


def call(req):
    global grown
    params = req.get("params", {})
    name = params.get("name")
    a = params.get("arguments", {})
    token = params.get("_meta", {}).get("progressToken")
    if name == "add":
        return text(str(a.get("a", 0) + a.get("b", 0)))
    if name == "echo":
        return text(a.get("text", ""))
    if name == "peek":
        return text("peeked")
    if name == "fail":
        return text("it went wrong on purpose", True)
    if name == "media":
        return {"content": [
            {"type": "text", "text": "here is a picture"},
            {"type": "image", "data": "iVBORw0KGgo=", "mimeType": "image/png"},
            {"type": "resource_link", "uri": "file:///notes.txt", "name": "notes", "mimeType": "text/plain",
             "description": "the notes"}]}
    if name == "forged_image":
        return {"content": [{"type": "image", "data": "PHN2Zz4=", "mimeType": "image/png"}]}
    if name == "slow":
        time.sleep(float(a.get("seconds", 5)))
        return text("slow done")
    if name == "progress":
        for i in range(1, 4):
            send({"jsonrpc": "2.0", "method": "notifications/progress",
                  "params": {"progressToken": token, "progress": i, "total": 3, "message": "step %d" % i}})
            time.sleep(0.05)
        return text("progressed")
    if name == "crash":
        sys.stdout.flush()
        os._exit(3)
    if name == "flood":
        chunk = "x" * 65536
        with lock:
            for _ in range(1024):
                try:
                    sys.stdout.write(chunk)
                    sys.stdout.flush()
                except BrokenPipeError:
                    os._exit(0)
        return text("flooded")
    if name == "grow":
        grown = True
        send({"jsonrpc": "2.0", "method": "notifications/tools/list_changed"})
        return text("grown")
    if name == "late" and grown:
        return text("late tool")
    return None


RESOURCES = [
    {"uri": "file:///notes.txt", "name": "notes", "mimeType": "text/plain", "description": "the notes"},
    {"uri": "file:///logo.png", "name": "logo", "mimeType": "image/png", "size": 3000},
    {"uri": "file:///huge.txt", "name": "huge", "mimeType": "text/plain"},
    {"uri": "file:///evil.txt", "name": "evil\x1b[2J", "description": "line one\nline two"},
]


def read_resource(uri):
    if uri == "file:///notes.txt":
        return {"uri": uri, "mimeType": "text/plain", "text": "the notes say hello"}
    if uri == "file:///logo.png":
        return {"uri": uri, "mimeType": "image/png", "blob": base64.b64encode(b"\x89" * 3000).decode()}
    if uri == "file:///huge.txt":
        return {"uri": uri, "mimeType": "text/plain", "text": "h" * (300 * 1024)}
    if uri == "file:///evil.txt":
        return {"uri": uri, "text": "before\x1b]52;c;ZXZpbA==\x07after"}
    return None


PROMPTS = [
    {"name": "explain", "description": "Explain a topic",
     "arguments": [{"name": "topic", "description": "what to explain", "required": True},
                   {"name": "depth", "description": "how deep"}]},
    {"name": "greet", "description": "Say hello"},
    {"name": "broken", "description": "Always fails"},
]


def get_prompt(name, a):
    if name == "explain":
        return {"messages": [{"role": "user", "content": {
            "type": "text", "text": "Explain %s at depth %s." % (a.get("topic"), a.get("depth", "normal"))}}]}
    if name == "greet":
        return {"description": "a greeting", "messages": [
            {"role": "user", "content": {"type": "text", "text": "Say hello to the team."}},
            {"role": "assistant", "content": {"type": "text", "text": "Hello, team!"}}]}
    return None


def handle_extra(method, rid, params):
    """Resources and prompts; False when `method` is not one of theirs."""
    if method == "resources/list":
        if params.get("cursor") == "page2":
            send({"jsonrpc": "2.0", "id": rid, "result": {"resources": RESOURCES[2:]}})
        else:
            send({"jsonrpc": "2.0", "id": rid, "result": {"resources": RESOURCES[:2], "nextCursor": "page2"}})
    elif method == "resources/read":
        r = read_resource(params.get("uri"))
        if r is None:
            send({"jsonrpc": "2.0", "id": rid, "error": {"code": -32002, "message": "resource not found"}})
        else:
            send({"jsonrpc": "2.0", "id": rid, "result": {"contents": [r]}})
    elif method == "prompts/list":
        send({"jsonrpc": "2.0", "id": rid, "result": {"prompts": PROMPTS}})
    elif method == "prompts/get":
        r = get_prompt(params.get("name"), params.get("arguments", {}))
        if r is None:
            send({"jsonrpc": "2.0", "id": rid, "error": {"code": -32603, "message": "the prompt broke"}})
        else:
            send({"jsonrpc": "2.0", "id": rid, "result": r})
    else:
        return False
    return True


def handle(req):
    method = req.get("method")
    rid = req.get("id")
    if method == "initialize":
        v = version_override or req["params"]["protocolVersion"]
        caps = {"tools": {"listChanged": True}}
        if extras:
            caps["resources"] = {}
            caps["prompts"] = {}
        send({"jsonrpc": "2.0", "id": rid, "result": {
            "protocolVersion": v, "capabilities": caps,
            "serverInfo": {"name": "ik-test-server", "version": "1"}}})
    elif method == "tools/list":
        send({"jsonrpc": "2.0", "id": rid, "result": {"tools": tools()}})
    elif method == "ping":
        send({"jsonrpc": "2.0", "id": rid, "result": {}})
    elif method == "tools/call":
        def work():
            r = call(req)
            if r is None:
                send({"jsonrpc": "2.0", "id": rid, "error": {"code": -32602, "message": "unknown tool"}})
            else:
                send({"jsonrpc": "2.0", "id": rid, "result": r})
        threading.Thread(target=work, daemon=True).start()
    elif extras and handle_extra(method, rid, req.get("params", {})):
        pass
    elif rid is not None:
        send({"jsonrpc": "2.0", "id": rid, "error": {"code": -32601, "message": "method not found"}})


def main():
    log({"start": os.getpid()})
    print("test server up", file=sys.stderr, flush=True)
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            req = json.loads(line)
        except ValueError:
            continue
        log(req)
        handle(req)


if __name__ == "__main__":
    main()
